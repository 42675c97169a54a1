const { exec } = require("child_process");
app.get("/p", (req, res) => {
  exec("uptime", (e, out) => res.send(out));
});
