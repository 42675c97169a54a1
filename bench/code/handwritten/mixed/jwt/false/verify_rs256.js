const jwt = require("jsonwebtoken");
const fs = require("fs");

const publicKey = fs.readFileSync("/etc/app/jwt.pub");

module.exports = function check(req, res, next) {
  req.claims = jwt.verify(req.get("x-token"), publicKey, { algorithms: ["RS256"] });
  next();
};
