const express = require("express");
const { MongoClient } = require("mongodb");

const app = express();
app.use(express.json());
const client = new MongoClient(process.env.MONGO_URL);

app.post("/login", async (req, res) => {
  const users = client.db("app").collection("users");
  const user = await users.findOne({ username: String(req.body.username) });
  res.json({ ok: Boolean(user) });
});
