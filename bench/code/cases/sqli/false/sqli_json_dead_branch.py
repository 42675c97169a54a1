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


@app.route("/sqli_json_dead_branch", methods=["GET", "POST"])
def sqli_json_dead_branch():
    param = request.get_json()["p"]
    bar = "safe"
    if 1 == 2:
        bar = param
    cur = sqlite3.connect("db").cursor()
    cur.execute("SELECT * FROM users WHERE name = '" + bar + "'")
    return "ok"
