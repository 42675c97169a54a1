import { scryptSync, randomBytes } from "node:crypto";

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const derived = scryptSync(password, salt, 64);
  return salt.toString("hex") + ":" + derived.toString("hex");
}
