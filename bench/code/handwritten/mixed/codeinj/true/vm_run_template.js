const vm = require("vm");

module.exports = function render(req, res) {
  const sandbox = { user: { name: "x" } };
  const code = "`Hello ${" + req.query.field + "}`";
  const output = vm.runInNewContext(code, sandbox);
  res.json({ output });
};
