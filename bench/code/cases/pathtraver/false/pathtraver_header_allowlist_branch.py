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


@app.route("/pathtraver_header_allowlist_branch", methods=["GET", "POST"])
def pathtraver_header_allowlist_branch():
    param = request.headers.get("X-Param", "")
    bar = "default"
    if param in ALLOWED:
        bar = param
    with open("/srv/files/" + bar) as f:
        return f.read()
