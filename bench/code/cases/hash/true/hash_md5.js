const crypto = require("crypto");
function h(p) {
  return crypto.createHash("md5").update(p).digest("hex");
}
