const _ = require("lodash");

function applyPatch(doc, req) {
  _.set(doc, "profile.nickname", String(req.body.value));
  return doc;
}

module.exports = { applyPatch };
