const { exec } = require("child_process");
const express = require("express");

const app = express();

app.get("/diag/ping", (req, res) => {
  const host = req.query.host;
  exec(`ping -c 2 ${host}`, (err, stdout) => {
    res.type("text/plain").send(stdout);
  });
});

app.listen(3000);
