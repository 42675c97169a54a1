const fs = require("fs");

function exportCsv(rows) {
  const csv = rows.map((r) => r.join(",")).join("\n");
  fs.writeFileSync("/tmp/export.csv", csv);
  return "/tmp/export.csv";
}

module.exports = exportCsv;
