import http from "node:http";

http
  .createServer((req, res) => {
    const term = new URL(req.url ?? "/", "http://localhost").searchParams.get("q") ?? "";
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ query: term, results: [] }));
  })
  .listen(8080);
