const express = require("express");
const sqlite3 = require("sqlite3");

const app = express();
const db = new sqlite3.Database("app.db");

app.get("/recent", (req, res) => {
  const limit = parseInt(req.query.limit, 10) || 20;
  db.all("SELECT * FROM events ORDER BY ts DESC LIMIT " + limit, (err, rows) => res.json(rows));
});
