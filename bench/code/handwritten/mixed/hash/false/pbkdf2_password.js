const crypto = require("crypto");

function storeUser(db, name, password) {
  const salt = crypto.randomBytes(16);
  const key = crypto.pbkdf2Sync(password, salt, 310000, 32, "sha512");
  return db.insert({ name, salt: salt.toString("hex"), key: key.toString("hex") });
}

module.exports = storeUser;
