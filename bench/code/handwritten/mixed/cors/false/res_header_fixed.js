module.exports = function allowApp(req, res, next) {
  res.header("Access-Control-Allow-Origin", "https://app.example.com");
  res.header("Access-Control-Allow-Credentials", "true");
  res.header("Vary", "Origin");
  next();
};
