const xpath = require("xpath");
const { DOMParser } = require("@xmldom/xmldom");
const fs = require("fs");

const doc = new DOMParser().parseFromString(fs.readFileSync("users.xml", "utf8"), "text/xml");

module.exports = function login(req, res) {
  const expr = "//user[name/text()='" + req.body.user + "' and pass/text()='" + req.body.pass + "']";
  const nodes = xpath.select(expr, doc);
  res.json({ ok: nodes.length > 0 });
};
