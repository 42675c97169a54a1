const express = require("express");
const app = express();

const store = {};

app.get("/set", (req, res) => {
  const { section, key, value } = req.query;
  if (!store[section]) store[section] = {};
  store[section][key] = value;
  res.send("saved");
});
