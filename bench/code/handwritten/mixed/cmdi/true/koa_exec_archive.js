const Koa = require("koa");
const childProcess = require("child_process");

const app = new Koa();

app.use(async (ctx) => {
  const name = ctx.query.name;
  const command = ["tar", "-czf", "/tmp/out.tgz", name].join(" ");
  childProcess.exec(command);
  ctx.body = { started: true };
});

app.listen(3000);
