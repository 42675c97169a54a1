const Hapi = require("@hapi/hapi");
const fs = require("fs");
const path = require("path");

const server = Hapi.server({ port: 3000 });

server.route({
  method: "GET",
  path: "/logs",
  handler: (request, h) => {
    return fs.readFileSync(path.join("/var/log/app", path.basename(request.query.name)), "utf8");
  },
});
