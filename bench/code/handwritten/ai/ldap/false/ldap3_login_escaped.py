from flask import Flask, request
from ldap3 import ALL, Connection, Server
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    username = escape_filter_chars(request.form["username"])
    server = Server("ldap://localhost", get_info=ALL)
    conn = Connection(server, "cn=admin,dc=example,dc=org", "adminpass", auto_bind=True)
    conn.search("dc=example,dc=org", f"(&(objectClass=person)(sAMAccountName={username}))", attributes=["mail"])
    if not conn.entries:
        return "Unknown user", 404
    return {"entries": len(conn.entries)}
