const cp = require("child_process");
function run(req, res) {
  const out = cp.execSync(`ls ${req.body.dir}`);
  res.send(out);
}
