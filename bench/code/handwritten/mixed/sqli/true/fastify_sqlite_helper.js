const fastify = require("fastify")();
const sqlite3 = require("sqlite3");

const db = new sqlite3.Database("notes.db");

function buildFilter(tag) {
  return "SELECT body FROM notes WHERE tag = '" + tag + "'";
}

fastify.get("/notes", (request, reply) => {
  const statement = buildFilter(request.query.tag);
  db.all(statement, (err, rows) => {
    reply.send(rows);
  });
});

fastify.listen({ port: 3000 });
