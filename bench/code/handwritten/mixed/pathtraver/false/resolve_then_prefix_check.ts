import type { NextApiRequest, NextApiResponse } from "next";
import { promises as fs } from "fs";
import path from "path";

const ROOT = path.resolve("content");

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const full = path.resolve(ROOT, String(req.query.slug) + ".md");
  if (!full.startsWith(ROOT + path.sep)) {
    res.status(400).end();
    return;
  }
  res.status(200).json({ content: await fs.readFile(full, "utf8") });
}
