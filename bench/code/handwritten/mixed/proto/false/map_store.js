const express = require("express");
const app = express();

const groups = new Map();

app.get("/tag", (req, res) => {
  const group = req.query.group;
  if (!groups.has(group)) groups.set(group, new Map());
  groups.get(group).set(req.query.field, req.query.value);
  res.send("ok");
});
