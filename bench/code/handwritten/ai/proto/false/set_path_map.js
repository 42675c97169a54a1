const express = require("express");
const app = express();
app.use(express.json());

const config = new Map();

app.post("/config", (req, res) => {
  const { path, value } = req.body;
  config.set(String(path), value);
  res.json({ ok: true, size: config.size });
});
