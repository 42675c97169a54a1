const Koa = require("koa");
const app = new Koa();

app.use(async (ctx) => {
  const q = ctx.query.q || "";
  ctx.type = "html";
  ctx.body = `<h1>Results for ${q}</h1>`;
});

app.listen(3000);
