const crypto = require("crypto");

function encryptCard(key, iv, number) {
  const cipher = crypto.createCipheriv("des-cbc", key, iv);
  return Buffer.concat([cipher.update(number, "utf8"), cipher.final()]).toString("hex");
}

module.exports = encryptCard;
