import funcster from "funcster";
import type { Request, Response } from "express";

export function restoreJob(req: Request, res: Response) {
  const job = funcster.deepDeserialize(req.body.job);
  res.json({ scheduled: typeof job.run === "function" });
}
