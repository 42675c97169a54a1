import type { Request, Response } from "express";

const RULES: Record<string, string> = {
  cheap: "return item.price < 5",
  expensive: "return item.price >= 5",
};

export function filterItems(req: Request, res: Response) {
  const body = RULES.cheap;
  const predicate = new Function("item", body);
  const page = Number(req.query.page) || 1;
  res.json({ page, items: [{ price: 3 }].filter((item) => predicate(item)) });
}
