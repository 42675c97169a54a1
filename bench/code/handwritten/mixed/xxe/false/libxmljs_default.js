const libxmljs = require("libxmljs");

module.exports = function importFeed(req, res) {
  const doc = libxmljs.parseXml(req.body.toString());
  res.json({ items: doc.find("//item").length });
};
