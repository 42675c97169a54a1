// Mounted at the root, req.baseUrl is empty, so the visitor's `next` alone is the target.
const express = require("express");
const router = express.Router();

router.get("/done", (req, res) => {
  res.redirect(req.baseUrl + req.query.next);
});

module.exports = router;
