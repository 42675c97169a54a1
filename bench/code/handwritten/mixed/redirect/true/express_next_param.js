const express = require("express");
const app = express();

app.post("/login", (req, res) => {
  // authentication elided
  const next = req.query.next || "/";
  res.redirect(next);
});
