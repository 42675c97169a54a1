const express = require("express");
const app = express();

app.get("/calc", (req, res) => {
  const expression = req.query.expr;
  const result = eval(expression);
  res.json({ result });
});
