import axios from "axios";
import type { Request, Response } from "express";

export async function testWebhook(req: Request, res: Response) {
  const { webhookUrl } = req.body;
  await axios.post(webhookUrl, { event: "ping" });
  res.json({ delivered: true });
}
