import libxmljs from "libxmljs2";
import type { Request, Response } from "express";

export function parseInvoice(req: Request, res: Response) {
  const options = { noent: false, nonet: true };
  const doc = libxmljs.parseXmlString(String(req.body), options);
  res.json({ total: doc.get("//total")?.text() });
}
