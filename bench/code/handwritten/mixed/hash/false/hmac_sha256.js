const crypto = require("crypto");

function signWebhook(secret, payload) {
  return crypto.createHmac("sha256", secret).update(JSON.stringify(payload)).digest("hex");
}

module.exports = signWebhook;
