import Fastify from "fastify";

const app = Fastify();

app.get<{ Querystring: { next: string } }>("/login/done", async (request, reply) => {
  const next = request.query.next;
  if (!next.startsWith("/") || next.startsWith("//")) {
    return reply.redirect("/");
  }
  return reply.redirect(next);
});
