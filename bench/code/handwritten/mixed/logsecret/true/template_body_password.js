module.exports = function signup(req, res) {
  console.log(`new signup ${req.body.email} with password ${req.body.password}`);
  res.status(201).end();
};
