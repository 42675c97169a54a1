const http = require("http");
const crypto = require("crypto");

http
  .createServer((req, res) => {
    const sid = crypto.randomBytes(16).toString("hex");
    res.setHeader("Set-Cookie", `sid=${sid}; Path=/; HttpOnly; Secure; SameSite=Lax`);
    res.end("ok");
  })
  .listen(8080);
