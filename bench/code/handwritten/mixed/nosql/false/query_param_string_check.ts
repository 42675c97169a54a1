import { Request, Response } from "express";
import { Db } from "mongodb";

export function makeHandler(db: Db) {
  return async (req: Request, res: Response) => {
    const email = req.query.email;
    if (typeof email !== "string") {
      res.status(400).end();
      return;
    }
    const doc = await db.collection("accounts").findOne({ email, active: true });
    res.json({ exists: doc !== null });
  };
}
