import re
import flask
from flask import request


app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/trustbound_args_switch_constant", methods=["GET", "POST"])
def trustbound_args_switch_constant():
    param = request.args.get("p", "")
    guess = "ABC"
    target = guess[1]
    if target == "A":
        bar = param
    elif target == "B":
        bar = "bob"
    else:
        bar = "other"
    flask.session["userid"] = bar
    return "ok"
