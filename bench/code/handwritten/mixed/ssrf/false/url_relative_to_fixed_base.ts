import type { Request, Response } from "express";

const API_BASE = "https://inventory.example.com";

export async function stock(req: Request, res: Response) {
  const sku = encodeURIComponent(String(req.params.sku));
  const upstream = await fetch(new URL(`/v1/stock/${sku}`, API_BASE));
  res.json(await upstream.json());
}
