const express = require("express");
const _ = require("lodash");
const app = express();
app.use(express.json());

const defaults = { theme: "light", notifications: true };

app.put("/preferences", (req, res) => {
  const prefs = _.merge({}, defaults, req.body);
  res.json(prefs);
});
