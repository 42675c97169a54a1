module.exports = function signup(req, res) {
  console.log(`new signup ${req.body.email} (password supplied: ${Boolean(req.body.password)})`);
  res.status(201).end();
};
