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


@app.route("/cmdi_args_sanitised", methods=["GET", "POST"])
def cmdi_args_sanitised():
    param = request.args.get("p", "")
    bar = param
    os.system("echo " + shlex.quote(bar))
    return "ok"
