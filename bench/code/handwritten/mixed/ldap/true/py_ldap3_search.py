from flask import Flask, request
from ldap3 import Connection, Server

app = Flask(__name__)


@app.route("/ldap/user")
def user():
    name = request.args.get("name", "")
    conn = Connection(Server("ldap://directory.internal"), auto_bind=True)
    conn.search("dc=example,dc=com", "(&(objectClass=person)(cn=" + name + "))")
    return {"entries": len(conn.entries)}
