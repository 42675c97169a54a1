const express = require("express");
const app = express();

app.get("/search", (req, res) => {
  const q = req.query.q || "";
  res.send(`<html><body><h2>Results for "${q}"</h2></body></html>`);
});

app.listen(3000);
