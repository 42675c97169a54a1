import { jwtVerify } from "jose";
import type { NextApiRequest, NextApiResponse } from "next";

const key = new TextEncoder().encode(process.env.SESSION_KEY);

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const { payload } = await jwtVerify(req.cookies.session ?? "", key, { algorithms: ["HS256"] });
  if (payload.role !== "admin") {
    res.status(403).end();
    return;
  }
  res.json({ area: "admin" });
}
