const yaml = require("js-yaml");

module.exports = function importConfig(req, res) {
  const doc = yaml.load(req.body.toString(), { schema: yaml.DEFAULT_FULL_SCHEMA });
  res.json(doc);
};
