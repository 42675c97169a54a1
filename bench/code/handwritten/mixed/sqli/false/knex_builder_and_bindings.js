const knex = require("knex")({ client: "mysql2" });

async function findArticles(req, res) {
  const byTitle = await knex("articles").where("title", "like", `%${req.query.q}%`);
  const counted = await knex.raw("select count(*) from articles where author = ?", [req.query.author]);
  res.json({ byTitle, counted });
}

module.exports = findArticles;
