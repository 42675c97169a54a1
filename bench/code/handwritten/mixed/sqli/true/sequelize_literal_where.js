const { Sequelize, Op } = require("sequelize");
const { Product } = require("../models");

module.exports = async function search(req, res) {
  const rows = await Product.findAll({
    where: Sequelize.literal(`LOWER(name) LIKE '%${req.query.q}%'`),
  });
  res.json(rows);
};
