import type { NextApiRequest, NextApiResponse } from "next";
import { promises as fs } from "fs";
import path from "path";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const { slug } = req.query;
  const content = await fs.readFile(path.resolve("content", `${slug}.md`), "utf8");
  res.status(200).json({ content });
}
