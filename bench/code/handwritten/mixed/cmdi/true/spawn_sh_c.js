const { spawn } = require("child_process");

module.exports = function runHook(req, res) {
  const child = spawn("sh", ["-c", req.body.hook]);
  child.on("exit", (code) => res.json({ code }));
};
