const escapeHtml = require("escape-html");
app.get("/h", (req, res) => {
  res.send("<h1>Hello " + escapeHtml(req.query.name) + "</h1>");
});
