const fastify = require("fastify")();

fastify.get("/page", async (request, reply) => {
  const page = Number.parseInt(request.query.page, 10) || 1;
  reply.type("text/html").send(`<div class="pager">Page ${page}</div>`);
});
