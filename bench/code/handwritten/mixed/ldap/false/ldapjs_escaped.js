const ldap = require("ldapjs");
const express = require("express");

const app = express();
const client = ldap.createClient({ url: "ldap://directory.internal" });

app.get("/people", (req, res) => {
  const filter = new ldap.EqualityFilter({ attribute: "uid", value: String(req.query.user) });
  client.search("ou=people,dc=example,dc=com", { filter, scope: "sub" }, (err, result) => {
    const found = [];
    result.on("searchEntry", (entry) => found.push(entry.pojo));
    result.on("end", () => res.json(found));
  });
});
