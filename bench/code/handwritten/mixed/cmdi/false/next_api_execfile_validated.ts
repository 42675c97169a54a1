import { execFileSync } from "child_process";
import type { NextApiRequest, NextApiResponse } from "next";

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  const repo = String(req.query.repo);
  if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) {
    res.status(400).end();
    return;
  }
  const output = execFileSync("git", ["ls-remote", `https://git.example.com/${repo}.git`]).toString();
  res.status(200).json({ output });
}
