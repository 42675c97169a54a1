const got = require("got");

async function userRepos(req, res) {
  const user = req.params.user;
  const body = await got("https://code.example.net/api/users/" + user + "/repos").json();
  res.json(body);
}

module.exports = userRepos;
