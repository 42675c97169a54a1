const md5 = require("md5");

function storeUser(db, name, password) {
  return db.insert({ name, password: md5(password) });
}

module.exports = storeUser;
