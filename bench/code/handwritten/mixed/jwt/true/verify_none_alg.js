const jwt = require("jsonwebtoken");

module.exports = function check(req, res, next) {
  const claims = jwt.verify(req.get("x-token"), process.env.JWT_KEY, { algorithms: ["HS256", "none"] });
  req.claims = claims;
  next();
};
