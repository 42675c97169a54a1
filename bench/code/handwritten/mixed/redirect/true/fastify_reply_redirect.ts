import Fastify from "fastify";

const app = Fastify();

app.get<{ Querystring: { next: string } }>("/login/done", async (request, reply) => {
  return reply.redirect(request.query.next);
});
