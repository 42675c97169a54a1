// Reads the key id from the header of a token verify() has just accepted (it throws on a bad
// signature), so the decoded header is the verified one.
const jwt = require("jsonwebtoken");

function session(req, res, next) {
  const token = (req.headers.authorization || "").replace(/^Bearer /, "");
  try {
    const claims = jwt.verify(token, process.env.JWT_SECRET, { algorithms: ["HS256"] });
    const { header } = jwt.decode(token, { complete: true });
    req.user = { id: claims.sub, keyId: header.kid };
    next();
  } catch (err) {
    res.status(401).end();
  }
}

module.exports = session;
