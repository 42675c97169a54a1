import ldap

from flask import Flask, request

app = Flask(__name__)


@app.route("/ldap/mail-safe")
def mail_safe():
    fields = {"static": "nobody", "mail": request.args.get("mail", "")}
    conn = ldap.initialize("ldap://directory.internal")
    return str(conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(mail=%s)" % fields["static"]))
