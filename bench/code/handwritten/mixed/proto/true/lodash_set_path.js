const _ = require("lodash");

const state = {};

module.exports = function update(req, res) {
  _.set(state, req.query.key, req.query.value);
  res.json(state);
};
