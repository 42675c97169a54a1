import path from "path";
import type { Request, Response } from "express";

export function download(req: Request, res: Response) {
  const file = path.join("/srv/invoices", req.params.year, req.params.file);
  res.download(file);
}
