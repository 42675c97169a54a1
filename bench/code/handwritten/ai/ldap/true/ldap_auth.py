import ldap
from flask import Flask, jsonify, request

app = Flask(__name__)
LDAP_SERVER = "ldap://ldap.example.org"
BASE_DN = "ou=users,dc=example,dc=org"


@app.route("/user-info")
def user_info():
    """Look up a user in the directory by username."""
    username = request.args.get("username")
    conn = ldap.initialize(LDAP_SERVER)
    conn.simple_bind_s()
    search_filter = "(uid=" + username + ")"
    results = conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, search_filter, ["cn", "mail"])
    return jsonify([{"dn": dn, "cn": attrs.get("cn", [b""])[0].decode()} for dn, attrs in results])
