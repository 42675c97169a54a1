async function login(req, res) {
  const { username, password } = req.body;
  console.log("login attempt", username);
  res.json({ ok: await checkCredentials(username, password) });
}

async function checkCredentials() {
  return false;
}

module.exports = login;
