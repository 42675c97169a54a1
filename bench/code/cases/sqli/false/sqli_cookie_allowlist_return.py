import re
import flask
from flask import request
import sqlite3

app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/sqli_cookie_allowlist_return", methods=["GET", "POST"])
def sqli_cookie_allowlist_return():
    param = request.cookies.get("p", "")
    if param not in ALLOWED:
        return "invalid"
    bar = param
    cur = sqlite3.connect("db").cursor()
    cur.execute("SELECT * FROM users WHERE name = '" + bar + "'")
    return "ok"
