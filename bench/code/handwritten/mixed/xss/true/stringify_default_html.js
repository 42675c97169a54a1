// Express sends a string body as text/html: JSON text with the request's values in it can
// carry a <script> element.
const express = require("express");
const app = express();

app.get("/echo", (req, res) => {
  res.send(JSON.stringify({ name: req.query.name }));
});

app.listen(3000);
