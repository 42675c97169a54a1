const _ = require("lodash");
app.post("/s", (req, res) => {
  _.merge({}, req.body);
  res.end();
});
