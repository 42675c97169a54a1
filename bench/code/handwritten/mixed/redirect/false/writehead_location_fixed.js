const http = require("http");

http
  .createServer((req, res) => {
    const lang = new URL(req.url, "http://localhost").searchParams.get("lang") === "fr" ? "fr" : "en";
    res.writeHead(302, { Location: "/" + lang + "/" });
    res.end();
  })
  .listen(8080);
