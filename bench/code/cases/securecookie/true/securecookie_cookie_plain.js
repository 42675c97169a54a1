app.get("/l", (req, res) => {
  res.cookie("session", token());
  res.end();
});
