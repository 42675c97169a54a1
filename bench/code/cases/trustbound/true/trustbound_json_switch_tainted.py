import re
import flask
from flask import request


app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/trustbound_json_switch_tainted", methods=["GET", "POST"])
def trustbound_json_switch_tainted():
    param = request.get_json()["p"]
    guess = "ABC"
    target = guess[0]
    if target == "A":
        bar = param
    elif target == "B":
        bar = "bob"
    else:
        bar = "other"
    flask.session["userid"] = bar
    return "ok"
