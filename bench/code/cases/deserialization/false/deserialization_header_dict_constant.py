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


@app.route("/deserialization_header_dict_constant", methods=["GET", "POST"])
def deserialization_header_dict_constant():
    param = request.headers.get("X-Param", "")
    d = {}
    d["keyA"] = "a-value"
    d["keyB"] = param
    bar = d["keyA"]
    return str(pickle.loads(base64.b64decode(bar)))
