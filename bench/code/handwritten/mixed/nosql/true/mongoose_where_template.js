const User = require("./models/user");

module.exports = async (req, res) => {
  const users = await User.find({ $where: `this.age > ${req.query.minAge}` });
  res.json(users.map((u) => u.name));
};
