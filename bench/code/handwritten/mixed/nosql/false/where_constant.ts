import { Request, Response } from "express";
import { Collection } from "mongodb";

declare const products: Collection;

export async function cheaperThan(req: Request, res: Response) {
  const limit = Number(req.query.max);
  const found = await products.find({ price: { $lt: limit } }).toArray();
  res.json(found);
}
