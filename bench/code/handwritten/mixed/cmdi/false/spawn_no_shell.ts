import { spawn } from "node:child_process";
import type { Request, Response } from "express";

export function convert(req: Request, res: Response) {
  const target = String(req.body.format);
  const child = spawn("convert", ["input.png", "output." + target]);
  child.on("close", (code) => res.json({ code }));
}
