const http = require("http");

const STATUS_URL = process.env.STATUS_URL || "http://localhost:9000/health";

module.exports = async function routes(fastify) {
  fastify.get("/status", (request, reply) => {
    http.get(STATUS_URL, (upstream) => {
      reply.send({ code: upstream.statusCode, asked: request.query.verbose === "1" });
    });
  });
};
