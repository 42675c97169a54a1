app.post("/c", (req, res) => {
  const f = new Function("x", req.body.code);
  res.send(String(f(1)));
});
