const ldap = require("ldapjs");

const client = ldap.createClient({ url: process.env.LDAP_URL });

module.exports = function groupMembers(req, res) {
  const group = req.params.group;
  if (!/^[a-z0-9-]+$/.test(group)) {
    return res.status(400).end();
  }
  client.search("dc=corp", { filter: `(&(objectClass=group)(cn=${group}))` }, (err, found) => {
    found.on("end", () => res.end());
  });
};
