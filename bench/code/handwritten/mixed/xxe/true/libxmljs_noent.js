const libxmljs = require("libxmljs");

module.exports = function importFeed(req, res) {
  const doc = libxmljs.parseXml(req.body.toString(), { noent: true, dtdload: true });
  res.json({ items: doc.find("//item").length });
};
