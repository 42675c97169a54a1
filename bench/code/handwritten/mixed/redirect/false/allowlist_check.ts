import { Request, Response } from "express";

const SAFE_TARGETS = ["/", "/account", "/orders"];

export function afterLogout(req: Request, res: Response) {
  const returnTo = String(req.body.returnTo);
  if (SAFE_TARGETS.includes(returnTo)) {
    res.redirect(returnTo);
    return;
  }
  res.redirect("/");
}
