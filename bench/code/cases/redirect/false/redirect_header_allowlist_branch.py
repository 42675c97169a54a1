import re
import flask
from flask import request


app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/redirect_header_allowlist_branch", methods=["GET", "POST"])
def redirect_header_allowlist_branch():
    param = request.headers.get("X-Param", "")
    bar = "default"
    if param in ALLOWED:
        bar = param
    return flask.redirect(bar)
