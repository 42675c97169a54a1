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


@app.route("/sqli_header_if_false", methods=["GET", "POST"])
def sqli_header_if_false():
    param = request.headers.get("X-Param", "")
    bar = "safe"
    if False:
        bar = param
    cur = sqlite3.connect("db").cursor()
    cur.execute("SELECT * FROM users WHERE name = '" + bar + "'")
    return "ok"
