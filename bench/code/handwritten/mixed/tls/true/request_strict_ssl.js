const request = require("request");

function download(cb) {
  request({ url: "https://legacy.example.org/export.csv", strictSSL: false }, cb);
}

module.exports = download;
