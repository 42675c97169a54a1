const crypto = require("crypto");

function makeApiKey(prefix) {
  const apiKey = prefix + "_" + Math.random().toString(16).substring(2, 18);
  return { apiKey, created: new Date(), id: crypto.randomUUID() };
}

module.exports = makeApiKey;
