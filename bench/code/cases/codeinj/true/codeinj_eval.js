app.get("/c", (req, res) => {
  res.send(String(eval(req.query.expr)));
});
