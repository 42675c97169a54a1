const express = require("express");
const mysql = require("mysql2/promise");

const router = express.Router();
const pool = mysql.createPool({ host: "db", user: "app", database: "shop" });

router.get("/orders/:customer", async (req, res) => {
  const status = req.query.status || "open";
  const sql = `SELECT id, total FROM orders WHERE customer = '${req.params.customer}' AND status = '${status}'`;
  const [rows] = await pool.query(sql);
  res.json(rows);
});

module.exports = router;
