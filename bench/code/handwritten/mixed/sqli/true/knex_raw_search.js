const knex = require("knex")({ client: "pg", connection: process.env.DATABASE_URL });

async function searchHandler(req, res) {
  const { term } = req.body;
  const rows = await knex.raw("select * from articles where title ilike '%" + term + "%'");
  res.send({ count: rows.rowCount });
}

module.exports = { searchHandler };
