const jwt = require("jsonwebtoken");
function user(req, key) {
  return jwt.verify(req.headers.authorization, key, { algorithms: ["HS256"] }).sub;
}
