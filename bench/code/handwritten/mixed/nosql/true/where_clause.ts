import { Request, Response } from "express";
import { Collection } from "mongodb";

declare const products: Collection;

export async function cheaperThan(req: Request, res: Response) {
  const limit = req.query.max as string;
  const found = await products.find({ $where: "this.price < " + limit }).toArray();
  res.json(found);
}
