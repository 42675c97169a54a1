module.exports = function restoreSession(req, res) {
  const raw = req.headers["x-session"];
  const session = JSON.parse(Buffer.from(raw, "base64").toString("utf8"));
  res.json({ user: typeof session.user === "string" ? session.user : null });
};
