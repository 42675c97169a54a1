const Koa = require("koa");
const session = require("koa-session");

const app = new Koa();
app.keys = [process.env.KOA_KEY];
app.use(session(app));

app.use(async (ctx) => {
  ctx.session.visits = (ctx.session.visits || 0) + 1;
  ctx.body = "page " + Number(ctx.query.page);
});
