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


@app.route("/sqli_json_switch_tainted", methods=["GET", "POST"])
def sqli_json_switch_tainted():
    param = request.get_json()["p"]
    guess = "ABC"
    target = guess[0]
    if target == "A":
        bar = param
    elif target == "B":
        bar = "bob"
    else:
        bar = "other"
    cur = sqlite3.connect("db").cursor()
    cur.execute("SELECT * FROM users WHERE name = '" + bar + "'")
    return "ok"
