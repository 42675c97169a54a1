from flask import Flask, request
from ldap3 import Connection, Server
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)


@app.route("/ldap/user-safe")
def user_safe():
    name = escape_filter_chars(request.args.get("name", ""))
    conn = Connection(Server("ldap://directory.internal"), auto_bind=True)
    conn.search("dc=example,dc=com", "(&(objectClass=person)(cn=" + name + "))")
    return {"entries": len(conn.entries)}
