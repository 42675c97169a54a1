const express = require("express");
const app = express();

app.get("/download", (req, res) => {
  res.sendFile(req.query.file, { root: "/srv/exports", dotfiles: "deny" });
});
