import type { NextApiRequest, NextApiResponse } from "next";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const { callback } = req.body as { callback: string };
  const upstream = await fetch(callback, { method: "POST", body: JSON.stringify({ ok: true }) });
  res.status(upstream.status).end();
}
