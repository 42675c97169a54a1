import { Request, Response } from "express";

export function afterLogout(req: Request, res: Response) {
  const returnTo = req.body.returnTo as string;
  res.redirect(302, returnTo);
}
