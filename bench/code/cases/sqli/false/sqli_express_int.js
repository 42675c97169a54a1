app.get("/u", (req, res) => {
  const id = parseInt(req.query.id, 10);
  db.query("SELECT * FROM users WHERE id = " + id, (e, r) => res.json(r));
});
