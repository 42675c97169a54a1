const path = require("path");
app.get("/f/:name", (req, res) => {
  res.sendFile(path.join(__dirname, "files", req.params.name));
});
