app.post("/login", async (req, res) => {
  const u = await User.findOne({ name: req.body.name, password: req.body.password });
  res.json(u);
});
