const jwt = require("jsonwebtoken");
function user(req) {
  return jwt.decode(req.headers.authorization).sub;
}
