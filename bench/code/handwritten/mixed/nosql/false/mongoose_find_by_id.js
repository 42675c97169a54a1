const mongoose = require("mongoose");
const User = require("./models/user");

module.exports = async (req, res) => {
  if (!mongoose.Types.ObjectId.isValid(req.params.id)) {
    return res.status(400).end();
  }
  const user = await User.findById(req.params.id);
  res.json({ name: user && user.name });
};
