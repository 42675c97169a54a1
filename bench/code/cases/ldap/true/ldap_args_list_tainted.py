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


@app.route("/ldap_args_list_tainted", methods=["GET", "POST"])
def ldap_args_list_tainted():
    param = request.args.get("p", "")
    lst = ["safe", param]
    bar = lst[1]
    conn = ldap3.Connection("ldap://127.0.0.1")
    conn.search("dc=example,dc=org", "(uid=" + bar + ")")
    return "ok"
