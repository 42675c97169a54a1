const express = require("express");
const session = require("express-session");

const app = express();
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));

app.post("/switch-role", (req, res) => {
  req.session.role = req.body.role;
  res.redirect("/");
});
