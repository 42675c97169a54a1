const Koa = require("koa");
const bodyParser = require("koa-bodyparser");
const mongoSanitize = require("mongo-sanitize");

const app = new Koa();
app.use(bodyParser());

app.use(async (ctx) => {
  const sessions = ctx.db.collection("sessions");
  const criteria = mongoSanitize(ctx.request.body.criteria);
  await sessions.deleteMany(criteria);
  ctx.status = 204;
});
