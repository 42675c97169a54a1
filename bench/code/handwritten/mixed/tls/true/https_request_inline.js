const https = require("https");

function poll(cb) {
  const req = https.request(
    { hostname: "metrics.internal", path: "/v1", method: "GET", rejectUnauthorized: false },
    (res) => cb(res.statusCode)
  );
  req.end();
}

module.exports = poll;
