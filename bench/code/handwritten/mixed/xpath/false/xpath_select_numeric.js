const xpath = require("xpath");
const { DOMParser } = require("@xmldom/xmldom");
const fs = require("fs");

const doc = new DOMParser().parseFromString(fs.readFileSync("users.xml", "utf8"), "text/xml");

module.exports = function byId(req, res) {
  const id = parseInt(req.query.id, 10);
  const nodes = xpath.select("//user[@id=" + id + "]/name/text()", doc);
  res.json({ names: nodes.map(String) });
};
