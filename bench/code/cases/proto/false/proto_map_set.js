app.post("/s", (req, res) => {
  const cfg = new Map();
  cfg.set(req.body.a, req.body.v);
  res.end();
});
