const Koa = require("koa");
const bodyParser = require("koa-bodyparser");

const app = new Koa();
app.use(bodyParser());

app.use(async (ctx) => {
  const sessions = ctx.db.collection("sessions");
  const criteria = ctx.request.body.criteria;
  await sessions.deleteMany(criteria);
  ctx.status = 204;
});
