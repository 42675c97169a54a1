import * as xpath from "xpath";
import { DOMParser } from "@xmldom/xmldom";
import type { Request, Response } from "express";

const catalog = new DOMParser().parseFromString("<books/>", "text/xml");

export function findBook(req: Request, res: Response) {
  const isbn = req.query.isbn;
  const node = xpath.select1(`//book[@isbn='${isbn}']/title/text()`, catalog as any);
  res.json({ title: node ? String(node) : null });
}
