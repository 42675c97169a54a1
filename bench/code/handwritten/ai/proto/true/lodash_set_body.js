const _ = require("lodash");

function applyPatch(doc, req) {
  _.set(doc, req.body.field, req.body.value);
  return doc;
}

module.exports = { applyPatch };
