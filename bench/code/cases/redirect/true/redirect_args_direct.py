import re
import flask
from flask import request


app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/redirect_args_direct", methods=["GET", "POST"])
def redirect_args_direct():
    param = request.args.get("p", "")
    bar = param
    return flask.redirect(bar)
