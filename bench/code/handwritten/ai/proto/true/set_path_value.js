const express = require("express");
const app = express();
app.use(express.json());

const config = {};

app.post("/config", (req, res) => {
  const { path, value } = req.body;
  const keys = path.split(".");
  let obj = config;
  for (let i = 0; i < keys.length - 1; i++) {
    obj[keys[i]] = obj[keys[i]] || {};
    obj = obj[keys[i]];
  }
  obj[keys[keys.length - 1]] = value;
  res.json({ ok: true });
});
