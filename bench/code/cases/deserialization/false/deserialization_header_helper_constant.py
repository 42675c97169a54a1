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


@app.route("/deserialization_header_helper_constant", methods=["GET", "POST"])
def deserialization_header_helper_constant():
    param = request.headers.get("X-Param", "")
    bar = constant_thing(param)
    return str(pickle.loads(base64.b64decode(bar)))
