const jwt = require("jsonwebtoken");

function requireUser(req, res, next) {
  const token = (req.headers.authorization || "").replace("Bearer ", "");
  try {
    const claims = jwt.verify(token, process.env.JWT_KEY, { algorithms: ["HS256"] });
    req.user = claims.sub;
    next();
  } catch (e) {
    res.status(401).end();
  }
}

module.exports = requireUser;
