const express = require("express");
const mysql = require("mysql2");

const app = express();
const db = mysql.createConnection({ database: "shop" });

app.get("/products", (req, res) => {
  const ids = String(req.query.ids || "").split(",").map(Number).filter(Number.isFinite);
  db.query(`SELECT id, name FROM products WHERE id IN (${ids.join(",") || "0"})`, (err, rows) => res.json(rows));
});
