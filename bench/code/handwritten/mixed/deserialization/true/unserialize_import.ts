import { unserialize } from "node-serialize";
import type { Request, Response } from "express";

export function restoreWidget(req: Request, res: Response) {
  const widget = unserialize(req.body.widget);
  res.json({ kind: widget.kind });
}
