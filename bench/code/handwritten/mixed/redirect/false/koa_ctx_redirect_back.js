const Router = require("@koa/router");
const router = new Router();

router.get("/out", (ctx) => {
  const section = ctx.query.section === "billing" ? "billing" : "home";
  ctx.redirect(`/app/${section}`);
});

module.exports = router;
