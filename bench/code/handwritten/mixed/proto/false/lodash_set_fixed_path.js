const _ = require("lodash");

const state = {};

module.exports = function update(req, res) {
  _.set(state, "profile.displayName", req.query.value);
  res.json(state);
};
