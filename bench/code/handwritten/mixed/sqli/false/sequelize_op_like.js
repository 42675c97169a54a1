const { Op } = require("sequelize");
const { Product } = require("../models");

module.exports = async function search(req, res) {
  const rows = await Product.findAll({
    where: { name: { [Op.iLike]: `%${req.query.q}%` } },
  });
  res.json(rows);
};
