const express = require("express");
const app = express();
app.use(express.json());

const config = Object.create(null);

app.post("/config", (req, res) => {
  config[req.body.name] = String(req.body.value);
  res.json({ ok: true });
});
