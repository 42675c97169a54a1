const fs = require("fs");
const path = require("path");
app.get("/f", (req, res) => {
  fs.readFile("./data/" + path.basename(req.query.file), (e, d) => res.send(d));
});
