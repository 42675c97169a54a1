const express = require("express");

const app = express();

app.get("/greet", (req, res) => {
  res.status(200).type("html").send(`<h1>Hello ${req.query.name}</h1>`);
});

module.exports = app;
