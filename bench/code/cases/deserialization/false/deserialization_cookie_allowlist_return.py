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


@app.route("/deserialization_cookie_allowlist_return", methods=["GET", "POST"])
def deserialization_cookie_allowlist_return():
    param = request.cookies.get("p", "")
    if param not in ALLOWED:
        return "invalid"
    bar = param
    return str(pickle.loads(base64.b64decode(bar)))
