const express = require("express");
const session = require("express-session");

const app = express();
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));
const ROLES = ["viewer", "editor"];

app.post("/switch-role", (req, res) => {
  const role = req.body.role;
  if (!ROLES.includes(role)) return res.status(400).end();
  req.session.role = role;
  res.redirect("/");
});
