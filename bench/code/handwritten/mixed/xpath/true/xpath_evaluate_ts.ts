import * as xpath from "xpath";
import { DOMParser } from "@xmldom/xmldom";
import type { Request, Response } from "express";

const doc = new DOMParser().parseFromString("<orders/>", "text/xml");

export function orderStatus(req: Request, res: Response) {
  const expr = xpath.parse(`//order[@ref='${req.params.ref}']/status`);
  res.json({ status: expr.evaluateString({ node: doc as any }) });
}
