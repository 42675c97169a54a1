const express = require("express");
const app = express();

app.get("/download", (req, res) => {
  const requested = req.query.file;
  res.sendFile("/srv/exports/" + requested);
});
