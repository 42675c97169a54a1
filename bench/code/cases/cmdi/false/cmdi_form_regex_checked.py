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


@app.route("/cmdi_form_regex_checked", methods=["GET", "POST"])
def cmdi_form_regex_checked():
    param = request.form.get("p", "")
    bar = "default"
    if re.fullmatch(r"[a-z0-9]+", param):
        bar = param
    os.system("echo " + bar)
    return "ok"
