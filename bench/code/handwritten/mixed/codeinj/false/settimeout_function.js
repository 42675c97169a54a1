const http = require("http");
const url = require("url");

http.createServer((req, res) => {
  const query = url.parse(req.url, true).query;
  setTimeout(() => console.log("notify", query.msg), 100);
  res.end("queued");
}).listen(8000);
