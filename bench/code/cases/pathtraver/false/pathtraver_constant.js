const fs = require("fs");
app.get("/f", (req, res) => {
  fs.readFile("./data/readme.txt", (e, d) => res.send(d));
});
