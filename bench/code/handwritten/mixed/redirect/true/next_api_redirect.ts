import type { NextApiRequest, NextApiResponse } from "next";

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  const dest = Array.isArray(req.query.to) ? req.query.to[0] : req.query.to;
  res.redirect(dest ?? "/");
}
