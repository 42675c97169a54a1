import { createCipheriv } from "node:crypto";

export function seal(key: Buffer, text: string): string {
  const cipher = createCipheriv("aes-128-ecb", key, null);
  return cipher.update(text, "utf8", "base64") + cipher.final("base64");
}
