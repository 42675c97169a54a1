const express = require("express");
const User = require("./models/user");
const app = express();
app.use(express.json());

app.post("/api/login", async (req, res) => {
  const { username, password } = req.body;
  const user = await User.findOne({ username: username, password: password });
  if (!user) return res.status(401).json({ error: "Invalid credentials" });
  res.json({ id: user._id });
});
