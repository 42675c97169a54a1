const express = require("express");
const app = express();

const groups = {};

app.get("/tag", (req, res) => {
  const group = req.query.group;
  const field = req.query.field;
  groups[group] = groups[group] || {};
  groups[group][field] = req.query.value;
  res.send("ok");
});
