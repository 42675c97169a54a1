import type { Request, Response } from "express";

const API_BASE = "https://inventory.example.com";

export async function stock(req: Request, res: Response) {
  const upstream = await fetch(new URL(String(req.query.path), API_BASE));
  res.json(await upstream.json());
}
