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


@app.route("/cmdi_header_format", methods=["GET", "POST"])
def cmdi_header_format():
    param = request.headers.get("X-Param", "")
    bar = "value: {}".format(param)
    os.system("echo " + bar)
    return "ok"
