const express = require("express");
const path = require("path");
const app = express();

app.get("/download", (req, res) => {
  const file = path.basename(String(req.query.file || ""));
  res.sendFile(file, { root: path.join(__dirname, "uploads") });
});
