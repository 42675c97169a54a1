import path from "path";
import type { Request, Response } from "express";

const YEARS = ["2024", "2025", "2026"];

export function download(req: Request, res: Response) {
  const year = req.params.year;
  if (!YEARS.includes(year)) {
    res.status(404).end();
    return;
  }
  res.download(path.join("/srv/invoices", year, "summary.pdf"));
}
