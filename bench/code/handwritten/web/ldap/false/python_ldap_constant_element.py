import ldap
from flask import Flask, request

app = Flask(__name__)


@app.route("/ldap/mail", methods=["POST"])
def by_mail():
    mail = request.form.get("mail", "")
    filters = ["(objectClass=inetOrgPerson)", "(mail=" + mail + ")"]
    conn = ldap.initialize("ldap://127.0.0.1")
    result = conn.search_s("dc=example,dc=org", ldap.SCOPE_SUBTREE, filters[0])
    return {"n": len(result), "asked": len(mail)}
