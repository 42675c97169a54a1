app.post("/p", async (req, res) => {
  const r = await fetch(req.body.url);
  res.send(await r.text());
});
