import re
import flask
from flask import request


app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/redirect_cookie_live_branch", methods=["GET", "POST"])
def redirect_cookie_live_branch():
    param = request.cookies.get("p", "")
    bar = "safe"
    if 3 > 2:
        bar = param
    return flask.redirect(bar)
