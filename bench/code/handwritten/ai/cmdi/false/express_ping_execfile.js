const express = require("express");
const { execFile } = require("child_process");
const app = express();

app.get("/ping", (req, res) => {
  const host = String(req.query.host || "");
  execFile("ping", ["-c", "1", host], (error, stdout) => {
    if (error) return res.status(500).send("ping failed");
    res.type("text/plain").send(stdout);
  });
});
