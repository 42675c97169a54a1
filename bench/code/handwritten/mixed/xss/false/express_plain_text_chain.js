const express = require("express");

const app = express();

// The error message echoes the value, but as plain text: the browser shows it, it does
// not parse it as markup.
app.get("/quota", (req, res) => {
  const user = req.query.user;
  if (!/^[a-z]+$/.test(user || "")) {
    return res.status(400).type("txt").send(`unknown user ${req.query.user}`);
  }
  res.send("ok");
});

module.exports = app;
