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


@app.route("/xss_json_dead_branch", methods=["GET", "POST"])
def xss_json_dead_branch():
    param = request.get_json()["p"]
    bar = "safe"
    if 1 == 2:
        bar = param
    return "<p>" + bar + "</p>"
