const express = require("express");

const app = express();

app.get("/proxy", async (req, res) => {
  const url = String(req.query.url || "");
  if (!url.startsWith("https://status.example.com/")) {
    return res.status(400).json({ error: "unsupported host" });
  }
  const upstream = await fetch(url);
  res.status(upstream.status).send(await upstream.text());
});
