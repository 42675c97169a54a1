const express = require("express");
const app = express();
app.use(express.json());

app.post("/formula", (req, res) => {
  const { formula, x } = req.body;
  const result = eval(formula.replace(/x/g, String(x)));
  res.json({ result });
});
