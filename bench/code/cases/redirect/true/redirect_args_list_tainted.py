import re
import flask
from flask import request


app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/redirect_args_list_tainted", methods=["GET", "POST"])
def redirect_args_list_tainted():
    param = request.args.get("p", "")
    lst = ["safe", param]
    bar = lst[1]
    return flask.redirect(bar)
