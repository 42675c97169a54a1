import type { Request, Response } from "express";

const items = [{ price: 3 }, { price: 12 }];

export function filterItems(req: Request, res: Response) {
  const predicate = new Function("item", "return " + req.body.rule);
  res.json(items.filter((item) => predicate(item)));
}
