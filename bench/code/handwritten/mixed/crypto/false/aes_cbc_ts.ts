import { createCipheriv, randomBytes } from "node:crypto";

export function seal(key: Buffer, text: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  return iv.toString("hex") + cipher.update(text, "utf8", "base64") + cipher.final("base64");
}
