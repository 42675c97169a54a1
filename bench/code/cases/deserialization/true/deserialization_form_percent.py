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


@app.route("/deserialization_form_percent", methods=["GET", "POST"])
def deserialization_form_percent():
    param = request.form.get("p", "")
    bar = "value: %s" % param
    return str(pickle.loads(base64.b64decode(bar)))
