const { spawn } = require("child_process");

module.exports = function history(req, res) {
  const child = spawn("git", ["log", "--oneline", "--", req.query.path]);
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.on("exit", () => res.type("text/plain").send(out));
};
