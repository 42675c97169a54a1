import re
import flask
from flask import request
import requests

app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/ssrf_json_switch_tainted", methods=["GET", "POST"])
def ssrf_json_switch_tainted():
    param = request.get_json()["p"]
    guess = "ABC"
    target = guess[0]
    if target == "A":
        bar = param
    elif target == "B":
        bar = "bob"
    else:
        bar = "other"
    return requests.get(bar, timeout=5).text
