const express = require("express");
const app = express();

app.post("/login", (req, res) => {
  const sessionId = require("crypto").randomBytes(24).toString("hex");
  res.cookie("sid", sessionId);
  res.redirect("/");
});
