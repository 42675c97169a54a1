const request = require("request");

function download(cb) {
  request({ url: "https://legacy.example.org/export.csv", strictSSL: true }, cb);
}

module.exports = download;
