const crypto = require("crypto");

function encryptCard(key, number) {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(number, "utf8"), cipher.final()]);
  return { iv, body, tag: cipher.getAuthTag() };
}

module.exports = encryptCard;
