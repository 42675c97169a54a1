const crypto = require("crypto");

async function register(db, username, password) {
  const digest = crypto.createHash("md5").update(password).digest("hex");
  await db.query("INSERT INTO users (name, pw) VALUES (?, ?)", [username, digest]);
}

module.exports = register;
