const bcrypt = require("bcrypt");

async function register(db, username, password) {
  const digest = await bcrypt.hash(password, 12);
  await db.query("INSERT INTO users (name, pw) VALUES (?, ?)", [username, digest]);
}

module.exports = register;
