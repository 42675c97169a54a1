const { execFile } = require("child_process");
const express = require("express");

const app = express();

app.get("/diag/ping", (req, res) => {
  execFile("ping", ["-c", "2", req.query.host], (err, stdout) => {
    res.type("text/plain").send(stdout);
  });
});

app.listen(3000);
