import { jwtDecode } from "jwt-decode";
import type { NextApiRequest, NextApiResponse } from "next";

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  const token = req.cookies.session ?? "";
  const payload = jwtDecode<{ role: string }>(token);
  if (payload.role !== "admin") {
    res.status(403).end();
    return;
  }
  res.json({ secret: "admin area" });
}
