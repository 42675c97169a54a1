const { Pool } = require("pg");
const pool = new Pool();

exports.search = async (req, res) => {
  const { q } = req.query;
  const result = await pool.query({ text: "SELECT id FROM docs WHERE body LIKE '%" + q + "%'" });
  res.json(result.rows);
};
