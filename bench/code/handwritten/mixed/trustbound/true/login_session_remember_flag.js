const User = require("../models/user");

module.exports = async function login(req, res) {
  const user = await User.findOne({ email: String(req.body.email) });
  if (!user) {
    return res.status(401).end();
  }
  req.session.userId = user.id;
  req.session.isAdmin = req.body.isAdmin;
  res.json({ ok: true });
};
