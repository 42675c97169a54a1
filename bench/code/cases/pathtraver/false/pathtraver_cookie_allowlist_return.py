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


@app.route("/pathtraver_cookie_allowlist_return", methods=["GET", "POST"])
def pathtraver_cookie_allowlist_return():
    param = request.cookies.get("p", "")
    if param not in ALLOWED:
        return "invalid"
    bar = param
    with open("/srv/files/" + bar) as f:
        return f.read()
