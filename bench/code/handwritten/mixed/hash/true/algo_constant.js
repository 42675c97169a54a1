const crypto = require("crypto");

const ALGORITHM = "md5";

function etag(body) {
  return '"' + crypto.createHash(ALGORITHM).update(body).digest("base64") + '"';
}

module.exports = etag;
