from flask import Flask, request
from ldap3 import ALL, Connection, Server

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    username = request.form["username"]
    server = Server("ldap://localhost", get_info=ALL)
    conn = Connection(server, "cn=admin,dc=example,dc=org", "adminpass", auto_bind=True)
    conn.search("dc=example,dc=org", f"(&(objectClass=person)(sAMAccountName={username}))", attributes=["mail"])
    if not conn.entries:
        return "Unknown user", 404
    return f"Found {len(conn.entries)} entries"
