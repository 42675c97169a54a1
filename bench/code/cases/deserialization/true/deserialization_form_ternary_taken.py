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


@app.route("/deserialization_form_ternary_taken", methods=["GET", "POST"])
def deserialization_form_ternary_taken():
    param = request.form.get("p", "")
    num = 196
    bar = "safe" if (7 * 42) - num > 200 else param
    return str(pickle.loads(base64.b64decode(bar)))
