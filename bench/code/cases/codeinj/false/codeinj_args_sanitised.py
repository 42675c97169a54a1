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


@app.route("/codeinj_args_sanitised", methods=["GET", "POST"])
def codeinj_args_sanitised():
    param = request.args.get("p", "")
    bar = param
    return str(ast.literal_eval(bar))
