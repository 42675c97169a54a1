const Koa = require("koa");
const app = new Koa();

app.use(async (ctx) => {
  const q = ctx.query.q || "";
  ctx.body = { query: q, results: [] };
});

app.listen(3000);
