import re
import flask
from flask import request
import ldap3
from ldap3.utils.conv import escape_filter_chars

app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/ldap_form_pop_tainted", methods=["GET", "POST"])
def ldap_form_pop_tainted():
    param = request.form.get("p", "")
    lst = []
    lst.append("safe")
    lst.append(param)
    lst.append("moresafe")
    lst.pop(0)
    bar = lst[0]
    conn = ldap3.Connection("ldap://127.0.0.1")
    conn.search("dc=example,dc=org", "(uid=" + bar + ")")
    return "ok"
