app.post("/u", async (req, res) => {
  const { name } = req.body;
  const rows = await pool.query(`SELECT * FROM users WHERE name = '${name}'`);
  res.json(rows);
});
