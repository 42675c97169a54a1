// Echoes the search back as JSON: the response is declared application/json, so the browser
// never parses it as HTML.
const http = require("http");

http
  .createServer((req, res) => {
    const q = new URL(req.url, "http://localhost").searchParams.get("q");
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ query: q, results: [] }));
  })
  .listen(8080);
