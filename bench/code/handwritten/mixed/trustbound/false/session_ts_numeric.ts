import { Request, Response } from "express";

export function setPage(req: Request, res: Response) {
  const page = parseInt(req.query.page as string, 10);
  (req.session as any).lastPage = page;
  res.json({ page });
}
