const fs = require("fs");
const os = require("os");
const path = require("path");

function exportCsv(rows) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "export-"));
  const file = path.join(dir, "export.csv");
  fs.writeFileSync(file, rows.map((r) => r.join(",")).join("\n"), { mode: 0o600 });
  return file;
}

module.exports = exportCsv;
