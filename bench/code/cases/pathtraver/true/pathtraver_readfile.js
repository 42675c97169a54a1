const fs = require("fs");
app.get("/f", (req, res) => {
  fs.readFile("./data/" + req.query.file, (e, d) => res.send(d));
});
