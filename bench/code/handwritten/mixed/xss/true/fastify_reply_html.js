const fastify = require("fastify")();

fastify.get("/profile", async (request, reply) => {
  const bio = request.query.bio;
  reply.type("text/html").send(`<div class="bio">${bio}</div>`);
});
