import re
import flask
from flask import request
import base64
import json
import pickle

app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/deserialization_args_ternary_folded", methods=["GET", "POST"])
def deserialization_args_ternary_folded():
    param = request.args.get("p", "")
    num = 86
    bar = "safe" if (7 * 42) - num > 200 else param
    return str(pickle.loads(base64.b64decode(bar)))
