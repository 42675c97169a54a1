const PAGES = ["/home", "/me"];
app.get("/login", (req, res) => {
  const next = req.query.next;
  if (PAGES.includes(next)) return res.redirect(next);
  res.redirect("/home");
});
