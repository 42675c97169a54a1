const Koa = require("koa");
const merge = require("lodash/merge");

const app = new Koa();
const defaults = { theme: "light" };

app.use(async (ctx) => {
  const options = merge({}, defaults, JSON.parse(ctx.query.options));
  ctx.body = options;
});
