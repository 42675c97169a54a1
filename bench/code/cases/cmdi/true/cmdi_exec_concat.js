const { exec } = require("child_process");
app.get("/p", (req, res) => {
  exec("ping -c 1 " + req.query.host, (e, out) => res.send(out));
});
