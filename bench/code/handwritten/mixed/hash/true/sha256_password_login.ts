import crypto from "crypto";

export function checkLogin(stored: string, password: string): boolean {
  const candidate = crypto.createHash("sha256").update(password).digest("hex");
  return crypto.timingSafeEqual(Buffer.from(candidate), Buffer.from(stored));
}
