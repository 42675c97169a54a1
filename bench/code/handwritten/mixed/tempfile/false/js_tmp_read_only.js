const fs = require("fs");

function readSocketPath() {
  const configured = process.env.APP_SOCKET || "/run/app/app.sock";
  return fs.existsSync(configured) ? configured : null;
}

module.exports = readSocketPath;
