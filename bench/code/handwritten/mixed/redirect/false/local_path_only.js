const express = require("express");
const app = express();

app.post("/login", (req, res) => {
  const section = encodeURIComponent(req.query.section || "home");
  res.redirect("/dashboard/" + section);
});
