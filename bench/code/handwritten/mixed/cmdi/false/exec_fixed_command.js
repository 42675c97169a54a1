const { exec } = require("child_process");

function diskUsage(req, res) {
  const verbose = req.query.verbose === "1";
  exec("df -h /var/lib/app", (err, stdout) => {
    res.json({ verbose, usage: stdout });
  });
}

module.exports = diskUsage;
