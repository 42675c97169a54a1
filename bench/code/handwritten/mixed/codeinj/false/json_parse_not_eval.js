const express = require("express");
const app = express();

app.get("/calc", (req, res) => {
  const numbers = JSON.parse(req.query.values || "[]");
  const total = numbers.reduce((a, b) => a + Number(b), 0);
  res.json({ total });
});
