module.exports = (db) => async (req, res) => {
  const customer = String(req.body.customer);
  const totals = await db
    .collection("orders")
    .aggregate([{ $match: { customer } }, { $group: { _id: null, sum: { $sum: "$total" } } }])
    .toArray();
  res.json(totals);
};
