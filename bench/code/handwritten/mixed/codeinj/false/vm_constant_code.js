const vm = require("vm");

module.exports = function render(req, res) {
  const sandbox = { name: req.query.name };
  const output = vm.runInNewContext("'Hello ' + name", sandbox);
  res.json({ output });
};
