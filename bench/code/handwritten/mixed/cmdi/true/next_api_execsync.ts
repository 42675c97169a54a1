import { execSync } from "child_process";
import type { NextApiRequest, NextApiResponse } from "next";

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  const { repo } = req.query;
  const output = execSync(`git ls-remote ${repo}`).toString();
  res.status(200).send(output);
}
