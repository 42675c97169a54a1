const express = require("express");
const app = express();

const groups = { admins: {}, users: {} };
const FIELDS = ["color", "label"];

app.get("/tag", (req, res) => {
  const group = req.query.group === "admins" ? "admins" : "users";
  const field = req.query.field;
  if (!FIELDS.includes(field)) return res.status(400).send("bad field");
  groups[group][field] = req.query.value;
  res.send("ok");
});
