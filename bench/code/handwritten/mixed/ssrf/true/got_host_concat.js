const got = require("got");

async function proxyAvatar(req, res) {
  const host = req.query.host;
  const body = await got("http://" + host + "/avatar.png").buffer();
  res.type("png").send(body);
}

module.exports = proxyAvatar;
