const yaml = require("js-yaml");

function readSettings(text) {
  return yaml.load(text, { schema: yaml.JSON_SCHEMA });
}

module.exports = readSettings;
