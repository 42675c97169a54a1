const express = require("express");
const app = express();
app.use(express.json());

const config = {};

app.post("/config", (req, res) => {
  const parts = req.body.path.split(".");
  let node = config;
  for (let i = 0; i < parts.length - 1; i++) {
    node[parts[i]] = node[parts[i]] || {};
    node = node[parts[i]];
  }
  node[parts[parts.length - 1]] = req.body.value;
  res.json({ ok: true });
});
