const express = require("express");
const app = express();
app.use(express.json());

const defaults = { theme: "light", notifications: true };

app.put("/preferences", (req, res) => {
  const prefs = Object.assign({}, defaults, {
    theme: String(req.body.theme || defaults.theme),
    notifications: Boolean(req.body.notifications),
  });
  res.json(prefs);
});
