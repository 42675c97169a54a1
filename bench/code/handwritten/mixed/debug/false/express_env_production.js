// The environment comes from NODE_ENV and defaults to production; errors are logged, not
// shown.
const express = require("express");

const app = express();
app.set("env", process.env.NODE_ENV || "production");

app.use((err, req, res, next) => {
  console.error(err);
  res.status(500).json({ error: "internal error" });
});

app.listen(process.env.PORT || 3000);
