module.exports = function logout(req, res) {
  res.clearCookie("remember_me", { path: "/" });
  res.redirect("/login");
};
