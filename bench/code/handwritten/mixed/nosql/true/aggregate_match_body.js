module.exports = (db) => async (req, res) => {
  const totals = await db
    .collection("orders")
    .aggregate([{ $match: { customer: req.body.customer } }, { $group: { _id: null, sum: { $sum: "$total" } } }])
    .toArray();
  res.json(totals);
};
