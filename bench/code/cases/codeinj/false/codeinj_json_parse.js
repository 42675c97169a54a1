app.post("/c", (req, res) => {
  res.send(JSON.parse(req.body.data));
});
