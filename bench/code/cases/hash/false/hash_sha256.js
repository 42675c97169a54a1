const crypto = require("crypto");
function h(p) {
  return crypto.createHash("sha256").update(p).digest("hex");
}
