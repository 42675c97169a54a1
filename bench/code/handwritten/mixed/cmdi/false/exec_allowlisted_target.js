const express = require("express");
const { exec } = require("child_process");

const app = express();
const SERVICES = new Set(["nginx", "redis", "worker"]);

app.post("/restart", (req, res) => {
  const service = req.body.service;
  if (!SERVICES.has(service)) {
    return res.status(400).send("unknown service");
  }
  exec("systemctl restart " + service, () => res.send("restarted"));
});
