const util = require("util");
const exec = util.promisify(require("child_process").exec);

async function thumbnail(req, res) {
  const size = req.query.size;
  await exec("convert in.png -resize " + size + " out.png", { shell: "/bin/bash" });
  res.sendStatus(204);
}

module.exports = thumbnail;
