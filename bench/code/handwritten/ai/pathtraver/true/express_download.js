const express = require("express");
const path = require("path");
const fs = require("fs");
const app = express();

app.get("/download", (req, res) => {
  const file = req.query.file;
  const filePath = path.join(__dirname, "uploads", file);
  fs.readFile(filePath, (err, data) => {
    if (err) return res.status(404).send("Not found");
    res.send(data);
  });
});
