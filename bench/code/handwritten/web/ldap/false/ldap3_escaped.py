import ldap3
from flask import Flask, request
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)


@app.route("/ldap/user")
def find_user():
    uid = escape_filter_chars(request.args.get("uid", ""))
    server = ldap3.Server("ldap://127.0.0.1")
    conn = ldap3.Connection(server, auto_bind=True)
    search_filter = f"(&(objectClass=person)(uid={uid}))"
    conn.search("ou=people,dc=example,dc=org", search_filter, attributes=["cn"])
    return {"found": len(conn.entries)}
