const crypto = require("crypto");

const ALG = "rc4";

module.exports = function obscure(key, data) {
  const c = crypto.createCipheriv(ALG, key, "");
  return c.update(data);
};
