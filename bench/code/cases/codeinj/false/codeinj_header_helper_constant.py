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


@app.route("/codeinj_header_helper_constant", methods=["GET", "POST"])
def codeinj_header_helper_constant():
    param = request.headers.get("X-Param", "")
    bar = constant_thing(param)
    return str(eval(bar))
