import re
import flask
from flask import request
import html

app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/xss_json_switch_tainted", methods=["GET", "POST"])
def xss_json_switch_tainted():
    param = request.get_json()["p"]
    guess = "ABC"
    target = guess[0]
    if target == "A":
        bar = param
    elif target == "B":
        bar = "bob"
    else:
        bar = "other"
    return "<p>" + bar + "</p>"
