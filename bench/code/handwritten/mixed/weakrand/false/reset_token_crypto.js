const crypto = require("crypto");

function createResetToken() {
  return crypto.randomBytes(32).toString("base64url");
}

module.exports = { createResetToken };
