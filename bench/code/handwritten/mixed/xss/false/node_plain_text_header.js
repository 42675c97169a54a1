const http = require("http");
const { URL } = require("url");

http
  .createServer((req, res) => {
    const q = new URL(req.url, "http://localhost").searchParams.get("q");
    res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
    res.end(`you searched for ${q}\n`);
  })
  .listen(8080, "127.0.0.1");
