const crypto = require("crypto");

function integrity(body) {
  return "sha256-" + crypto.createHash("sha256").update(body).digest("base64");
}

module.exports = integrity;
