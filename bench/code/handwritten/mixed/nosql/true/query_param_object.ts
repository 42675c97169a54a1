import { Request, Response } from "express";
import { Db } from "mongodb";

export function makeHandler(db: Db) {
  return async (req: Request, res: Response) => {
    const doc = await db.collection("accounts").findOne({ email: req.query.email, active: true });
    res.json({ exists: doc !== null });
  };
}
