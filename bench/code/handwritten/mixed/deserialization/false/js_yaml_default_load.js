const yaml = require("js-yaml");

module.exports = function importConfig(req, res) {
  const doc = yaml.load(req.body.toString());
  res.json(doc);
};
