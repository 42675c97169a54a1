import re
import flask
from flask import request
import os
from werkzeug.utils import secure_filename

app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/pathtraver_json_switch_tainted", methods=["GET", "POST"])
def pathtraver_json_switch_tainted():
    param = request.get_json()["p"]
    guess = "ABC"
    target = guess[0]
    if target == "A":
        bar = param
    elif target == "B":
        bar = "bob"
    else:
        bar = "other"
    with open("/srv/files/" + bar) as f:
        return f.read()
