import jwt from "jsonwebtoken";

export function claimsOf(token: string, key: string) {
  return jwt.verify(token, key, { algorithms: ["none", "HS256"] }) as { sub: string };
}
