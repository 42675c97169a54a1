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


@app.route("/ldap_header_allowlist_branch", methods=["GET", "POST"])
def ldap_header_allowlist_branch():
    param = request.headers.get("X-Param", "")
    bar = "default"
    if param in ALLOWED:
        bar = param
    conn = ldap3.Connection("ldap://127.0.0.1")
    conn.search("dc=example,dc=org", "(uid=" + bar + ")")
    return "ok"
