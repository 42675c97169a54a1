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


@app.route("/codeinj_args_direct", methods=["GET", "POST"])
def codeinj_args_direct():
    param = request.args.get("p", "")
    bar = param
    return str(eval(bar))
