const express = require("express");
const { evaluate } = require("mathjs");
const app = express();
app.use(express.json());

app.post("/formula", (req, res) => {
  const { formula, x } = req.body;
  res.json({ result: evaluate(formula, { x: Number(x) }) });
});
