const bcrypt = require("bcrypt");
const User = require("../models/user");

module.exports = async function login(req, res) {
  const user = await User.findOne({ email: String(req.body.email) });
  if (!user || !(await bcrypt.compare(String(req.body.password), user.passwordHash))) {
    return res.status(401).json({ error: "invalid credentials" });
  }
  req.session.userId = user.id;
  req.session.role = user.role;
  res.json({ ok: true });
};
