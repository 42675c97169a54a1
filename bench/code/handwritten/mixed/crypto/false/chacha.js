const crypto = require("crypto");

const ALG = "chacha20-poly1305";

module.exports = function seal(key, nonce, data) {
  const c = crypto.createCipheriv(ALG, key, nonce, { authTagLength: 16 });
  return Buffer.concat([c.update(data), c.final()]);
};
