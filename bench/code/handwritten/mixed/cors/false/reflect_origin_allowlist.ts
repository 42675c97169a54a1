import { Request, Response, NextFunction } from "express";

const ORIGINS = ["https://app.example.com", "https://admin.example.com"];

export function corsHeaders(req: Request, res: Response, next: NextFunction) {
  const origin = String(req.headers.origin);
  if (ORIGINS.includes(origin)) {
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Credentials", "true");
  }
  next();
}
