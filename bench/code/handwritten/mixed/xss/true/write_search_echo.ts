import http from "node:http";

http
  .createServer((req, res) => {
    const term = new URL(req.url ?? "/", "http://localhost").searchParams.get("q") ?? "";
    res.writeHead(200, { "Content-Type": "text/html" });
    res.write(`<p>No results for <b>${term}</b></p>`);
    res.end();
  })
  .listen(8080);
