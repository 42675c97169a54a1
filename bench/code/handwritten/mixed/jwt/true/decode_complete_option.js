import jwt from "jsonwebtoken";

export function currentTenant(request) {
  const header = request.headers["authorization"];
  const decoded = jwt.decode(header.split(" ")[1], { complete: true });
  return decoded.payload.tenant;
}
