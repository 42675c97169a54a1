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


@app.route("/sqli_cookie_dict_tainted", methods=["GET", "POST"])
def sqli_cookie_dict_tainted():
    param = request.cookies.get("p", "")
    d = {}
    d["keyA"] = "a-value"
    d["keyB"] = param
    bar = d["keyB"]
    cur = sqlite3.connect("db").cursor()
    cur.execute("SELECT * FROM users WHERE name = '" + bar + "'")
    return "ok"
