import type { NextApiRequest, NextApiResponse } from "next";

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  const parsed = new URL(String(req.query.to), "https://shop.example.com");
  if (parsed.hostname !== "shop.example.com") {
    res.redirect("/");
    return;
  }
  res.redirect(parsed.href);
}
