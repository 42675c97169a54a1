import { Request, Response } from "express";
import { randomUUID } from "crypto";

export function startSession(req: Request, res: Response) {
  res.cookie("session", randomUUID(), { httpOnly: true, secure: true, sameSite: "lax", maxAge: 3600000 });
  res.json({ ok: true });
}
