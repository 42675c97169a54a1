const axios = require("axios");
app.get("/p", async (req, res) => {
  const r = await axios.get(req.query.url);
  res.send(r.data);
});
