const serialize = require("node-serialize");

module.exports = function restoreSession(req, res) {
  const raw = req.headers["x-session"];
  const session = serialize.unserialize(Buffer.from(raw, "base64").toString("utf8"));
  res.json({ user: session.user });
};
