const http = require("http");

http
  .createServer((req, res) => {
    const target = new URL(req.url, "http://localhost").searchParams.get("to");
    res.writeHead(302, { Location: target });
    res.end();
  })
  .listen(8080);
