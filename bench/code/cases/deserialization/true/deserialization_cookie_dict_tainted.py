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


@app.route("/deserialization_cookie_dict_tainted", methods=["GET", "POST"])
def deserialization_cookie_dict_tainted():
    param = request.cookies.get("p", "")
    d = {}
    d["keyA"] = "a-value"
    d["keyB"] = param
    bar = d["keyB"]
    return str(pickle.loads(base64.b64decode(bar)))
