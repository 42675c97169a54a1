const express = require("express");
const app = express();

const store = Object.create(null);

app.get("/set", (req, res) => {
  const { key, value } = req.query;
  store[key] = value;
  res.send("saved");
});
