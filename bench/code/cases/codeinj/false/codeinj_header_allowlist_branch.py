import re
import flask
from flask import request
import ast

app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/codeinj_header_allowlist_branch", methods=["GET", "POST"])
def codeinj_header_allowlist_branch():
    param = request.headers.get("X-Param", "")
    bar = "default"
    if param in ALLOWED:
        bar = param
    return str(eval(bar))
