// After saving, go back to the list of this router's mount point: req.baseUrl is the path
// the router was mounted at, not something the visitor chose.
const express = require("express");
const router = express.Router();

router.post("/items", async (req, res) => {
  await req.app.locals.db.insert("items", { name: String(req.body.name) });
  res.redirect(req.baseUrl + "/items");
});

module.exports = router;
