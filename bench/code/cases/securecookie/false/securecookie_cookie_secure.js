app.get("/l", (req, res) => {
  res.cookie("session", token(), { secure: true, httpOnly: true });
  res.end();
});
