const http = require("http");

module.exports = async function routes(fastify) {
  fastify.get("/status", (request, reply) => {
    http.get(request.query.target, (upstream) => {
      reply.send({ code: upstream.statusCode });
    });
  });
};
