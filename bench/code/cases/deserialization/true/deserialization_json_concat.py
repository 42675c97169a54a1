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


@app.route("/deserialization_json_concat", methods=["GET", "POST"])
def deserialization_json_concat():
    param = request.get_json()["p"]
    bar = "prefix-" + param
    return str(pickle.loads(base64.b64decode(bar)))
