import axios from "axios";
import type { Request, Response } from "express";

const api = axios.create({ baseURL: "https://hooks.example.com" });

export async function testWebhook(req: Request, res: Response) {
  const id = encodeURIComponent(String(req.body.hookId));
  await api.post(`/v1/hooks/${id}/ping`, { event: "ping" });
  res.json({ delivered: true });
}
