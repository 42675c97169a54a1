const Hapi = require("@hapi/hapi");
const fs = require("fs");

const server = Hapi.server({ port: 3000 });

server.route({
  method: "GET",
  path: "/logs",
  handler: (request, h) => {
    return fs.readFileSync("/var/log/app/" + request.query.name, "utf8");
  },
});
