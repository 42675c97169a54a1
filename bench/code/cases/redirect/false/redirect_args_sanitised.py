import re
import flask
from flask import request


app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/redirect_args_sanitised", methods=["GET", "POST"])
def redirect_args_sanitised():
    param = request.args.get("p", "")
    bar = param
    return flask.redirect(flask.url_for("index"))
