const axios = require("axios");
app.get("/p", async (req, res) => {
  const r = await axios.get("https://api.example.org/status");
  res.send(r.data);
});
