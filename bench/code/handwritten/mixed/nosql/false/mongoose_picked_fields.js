const mongoose = require("mongoose");

const Order = mongoose.model("Order", new mongoose.Schema({ owner: String, state: String }));

module.exports = async function listOrders(req, res) {
  const state = req.query.state === "closed" ? "closed" : "open";
  const orders = await Order.find({ state });
  res.json(orders);
};
