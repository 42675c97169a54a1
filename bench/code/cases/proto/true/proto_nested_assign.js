app.post("/s", (req, res) => {
  const cfg = {};
  cfg[req.body.a][req.body.b] = req.body.v;
  res.end();
});
