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


@app.route("/deserialization_json_dead_branch", methods=["GET", "POST"])
def deserialization_json_dead_branch():
    param = request.get_json()["p"]
    bar = "safe"
    if 1 == 2:
        bar = param
    return str(pickle.loads(base64.b64decode(bar)))
