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


@app.route("/pathtraver_cookie_live_branch", methods=["GET", "POST"])
def pathtraver_cookie_live_branch():
    param = request.cookies.get("p", "")
    bar = "safe"
    if 3 > 2:
        bar = param
    with open("/srv/files/" + bar) as f:
        return f.read()
