import sys

from ldap3 import Connection, Server


def members(group):
    conn = Connection(Server("ldap://localhost"), auto_bind=True)
    conn.search("ou=groups,dc=example,dc=org", "(objectClass=groupOfNames)", attributes=["cn", "member"])
    return [str(e.member) for e in conn.entries if str(e.cn) == group]


if __name__ == "__main__":
    print(members(sys.argv[1]))
