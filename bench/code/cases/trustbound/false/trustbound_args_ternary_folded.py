import re
import flask
from flask import request


app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/trustbound_args_ternary_folded", methods=["GET", "POST"])
def trustbound_args_ternary_folded():
    param = request.args.get("p", "")
    num = 86
    bar = "safe" if (7 * 42) - num > 200 else param
    flask.session["userid"] = bar
    return "ok"
