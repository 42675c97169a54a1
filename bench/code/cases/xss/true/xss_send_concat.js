app.get("/h", (req, res) => {
  res.send("<h1>Hello " + req.query.name + "</h1>");
});
