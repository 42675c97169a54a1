import express from "express";

const app = express();
app.use(express.json());

function assignDeep(target: any, source: any): any {
  for (const key of Object.keys(source)) {
    if (source[key] && typeof source[key] === "object") {
      target[key] = target[key] || {};
      assignDeep(target[key], source[key]);
    } else {
      target[key] = source[key];
    }
  }
  return target;
}

const prefs: Record<string, unknown> = {};

app.put("/prefs", (req, res) => {
  assignDeep(prefs, req.body);
  res.json(prefs);
});
