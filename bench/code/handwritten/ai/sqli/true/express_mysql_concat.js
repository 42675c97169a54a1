const express = require("express");
const mysql = require("mysql2");
const app = express();
const db = mysql.createConnection({ host: "localhost", user: "app", database: "shop" });

app.get("/products", (req, res) => {
  const category = req.query.category;
  const sql = "SELECT * FROM products WHERE category = '" + category + "'";
  db.query(sql, (err, rows) => {
    if (err) return res.status(500).json({ error: err.message });
    res.json(rows);
  });
});
