import fs from "node:fs";
import express from "express";

const app = express();
app.use(express.json());

app.post("/notes", (req, res) => {
  const target = `/var/notes/${req.body.title}.txt`;
  fs.writeFileSync(target, req.body.text);
  res.status(201).end();
});
