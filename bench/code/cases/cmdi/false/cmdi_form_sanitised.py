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


@app.route("/cmdi_form_sanitised", methods=["GET", "POST"])
def cmdi_form_sanitised():
    param = request.form.get("p", "")
    bar = param
    os.system("echo " + shlex.quote(bar))
    return "ok"
