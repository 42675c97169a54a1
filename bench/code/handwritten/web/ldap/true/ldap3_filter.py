import ldap3
from flask import Flask, request

app = Flask(__name__)


@app.route("/ldap/user")
def find_user():
    uid = request.args.get("uid", "")
    server = ldap3.Server("ldap://127.0.0.1")
    conn = ldap3.Connection(server, auto_bind=True)
    search_filter = f"(&(objectClass=person)(uid={uid}))"
    conn.search("ou=people,dc=example,dc=org", search_filter, attributes=["cn"])
    return {"found": len(conn.entries)}
