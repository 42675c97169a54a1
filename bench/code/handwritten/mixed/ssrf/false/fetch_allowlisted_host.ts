import type { NextApiRequest, NextApiResponse } from "next";

const ALLOWED = ["hooks.example.com", "events.example.com"];

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const target = new URL(String(req.body.callback));
  if (!ALLOWED.includes(target.hostname)) {
    res.status(400).end();
    return;
  }
  const upstream = await fetch(target.toString(), { method: "POST" });
  res.status(upstream.status).end();
}
