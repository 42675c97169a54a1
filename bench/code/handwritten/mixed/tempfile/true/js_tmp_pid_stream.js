const fs = require("fs");

function openLog() {
  return fs.createWriteStream(`/tmp/worker-${process.pid}.log`, { flags: "a" });
}

module.exports = openLog;
