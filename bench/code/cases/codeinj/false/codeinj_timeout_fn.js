app.get("/c", (req, res) => {
  setTimeout(() => res.send("ok"), 10);
});
