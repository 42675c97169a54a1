import re
import flask
from flask import request


app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/trustbound_json_dead_branch", methods=["GET", "POST"])
def trustbound_json_dead_branch():
    param = request.get_json()["p"]
    bar = "safe"
    if 1 == 2:
        bar = param
    flask.session["userid"] = bar
    return "ok"
