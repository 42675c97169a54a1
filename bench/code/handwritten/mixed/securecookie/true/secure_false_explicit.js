module.exports = function remember(req, res) {
  const opts = { httpOnly: true, secure: false, maxAge: 30 * 24 * 3600 * 1000 };
  res.cookie("remember_me", req.user.rememberToken, opts);
  res.end();
};
