app.post("/s", (req, res) => {
  const cfg = { a: {} };
  cfg["a"]["b"] = req.body.v;
  res.end();
});
