import jwt from "jsonwebtoken";

export function issue(user) {
  return jwt.sign({ sub: user.id, tenant: user.tenant }, process.env.JWT_KEY, {
    algorithm: "HS256",
    expiresIn: "15m",
  });
}
