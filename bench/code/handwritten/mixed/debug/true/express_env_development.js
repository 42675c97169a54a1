// "Show me the real errors": forcing Express's development mode makes its default error
// handler send stack traces to every visitor.
const express = require("express");

const app = express();
app.set("env", "development");

app.get("/orders/:id", async (req, res) => {
  res.json(await req.app.locals.orders.find(req.params.id));
});

app.listen(process.env.PORT || 3000);
