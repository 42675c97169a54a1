import serialize from "serialize-javascript";
import type { Request, Response } from "express";

export function bootstrap(req: Request, res: Response) {
  const state = { user: req.query.user, flags: ["a", "b"] };
  res.type("application/javascript").send("window.__STATE__ = " + serialize(state, { isJSON: true }));
}
