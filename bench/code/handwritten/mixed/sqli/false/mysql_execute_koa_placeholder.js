const Router = require("@koa/router");
const mysql = require("mysql2/promise");

const router = new Router();
const pool = mysql.createPool({ database: "crm" });

router.get("/contacts", async (ctx) => {
  const [rows] = await pool.execute("SELECT * FROM contacts WHERE company = ?", [ctx.query.company]);
  ctx.body = rows;
});

module.exports = router;
