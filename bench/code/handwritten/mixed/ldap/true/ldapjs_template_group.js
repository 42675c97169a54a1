const ldap = require("ldapjs");

const client = ldap.createClient({ url: process.env.LDAP_URL });

module.exports = function groupMembers(req, res) {
  const group = req.params.group;
  client.search("dc=corp", { filter: `(&(objectClass=group)(cn=${group}))` }, (err, found) => {
    found.on("end", () => res.end());
  });
};
