const express = require("express");
const mysql = require("mysql");

const app = express();
const connection = mysql.createConnection({ host: "localhost", user: "app" });

app.get("/user", (req, res) => {
  const sql = "SELECT id, name FROM users WHERE name = ? AND team = ?";
  connection.query(sql, [req.query.name, req.query.team], (err, rows) => {
    if (err) return res.status(500).end();
    res.json(rows);
  });
});

app.listen(8080);
