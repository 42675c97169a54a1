import re
import flask
from flask import request
import os
import shlex

app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/cmdi_header_if_false", methods=["GET", "POST"])
def cmdi_header_if_false():
    param = request.headers.get("X-Param", "")
    bar = "safe"
    if False:
        bar = param
    os.system("echo " + bar)
    return "ok"
