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


@app.route("/codeinj_header_format", methods=["GET", "POST"])
def codeinj_header_format():
    param = request.headers.get("X-Param", "")
    bar = "value: {}".format(param)
    return str(eval(bar))
