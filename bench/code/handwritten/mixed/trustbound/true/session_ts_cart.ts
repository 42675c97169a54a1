import { Request, Response } from "express";

export function setDiscount(req: Request, res: Response) {
  const code = req.query.code as string;
  (req.session as any).discountCode = code;
  res.json({ applied: true });
}
