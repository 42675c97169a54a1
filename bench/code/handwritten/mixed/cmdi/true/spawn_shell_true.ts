import { spawn } from "node:child_process";
import type { Request, Response } from "express";

export function convert(req: Request, res: Response) {
  const target = req.body.format as string;
  const child = spawn("convert input.png output." + target, { shell: true });
  child.on("close", (code) => res.json({ code }));
}
