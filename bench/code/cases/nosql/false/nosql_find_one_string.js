app.post("/login", async (req, res) => {
  const u = await User.findOne({ name: String(req.body.name), password: String(req.body.password) });
  res.json(u);
});
