const ldap = require("ldapjs");
const express = require("express");

const app = express();
const client = ldap.createClient({ url: "ldap://directory.internal" });

app.get("/people", (req, res) => {
  const opts = { filter: "(uid=" + req.query.user + ")", scope: "sub" };
  client.search("ou=people,dc=example,dc=com", opts, (err, result) => {
    const found = [];
    result.on("searchEntry", (entry) => found.push(entry.pojo));
    result.on("end", () => res.json(found));
  });
});
