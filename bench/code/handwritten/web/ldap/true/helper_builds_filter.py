import ldap3
from flask import Flask, request

app = Flask(__name__)


def member_filter(group):
    return "(memberOf=cn=" + group + ",ou=groups,dc=example,dc=org)"


@app.route("/ldap/group")
def group_members():
    conn = ldap3.Connection(ldap3.Server("ldap://127.0.0.1"), auto_bind=True)
    conn.search("dc=example,dc=org", member_filter(request.headers.get("X-Group", "staff")))
    return {"n": len(conn.entries)}
