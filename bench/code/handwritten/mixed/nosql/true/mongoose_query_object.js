const mongoose = require("mongoose");

const Order = mongoose.model("Order", new mongoose.Schema({ owner: String, state: String }));

module.exports = async function listOrders(req, res) {
  const filter = req.query;
  const orders = await Order.find(filter);
  res.json(orders);
};
