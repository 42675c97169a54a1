const Koa = require("koa");
const session = require("koa-session");

const app = new Koa();
app.keys = [process.env.KOA_KEY];
app.use(session(app));

app.use(async (ctx) => {
  ctx.session.userId = ctx.query.as;
  ctx.body = "ok";
});
