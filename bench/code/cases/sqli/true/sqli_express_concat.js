app.get("/u", (req, res) => {
  db.query("SELECT * FROM users WHERE id = " + req.query.id, (e, r) => res.json(r));
});
