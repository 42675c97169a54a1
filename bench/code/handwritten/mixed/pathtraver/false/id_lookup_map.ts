import fs from "node:fs";
import express from "express";

const app = express();
const FILES: Record<string, string> = { terms: "/srv/static/terms.txt", privacy: "/srv/static/privacy.txt" };

app.get("/legal", (req, res) => {
  const key = req.query.doc === "privacy" ? "privacy" : "terms";
  res.type("text/plain").send(fs.readFileSync(FILES[key], "utf8"));
});
