import * as xpath from "xpath";
import { DOMParser } from "@xmldom/xmldom";
import type { Request, Response } from "express";

const catalog = new DOMParser().parseFromString("<books/>", "text/xml");

export function findBook(req: Request, res: Response) {
  const isbn = String(req.query.isbn);
  if (!/^[0-9-]{10,17}$/.test(isbn)) {
    res.status(400).end();
    return;
  }
  const node = xpath.select1(`//book[@isbn='${isbn}']/title/text()`, catalog as any);
  res.json({ title: node ? String(node) : null });
}
