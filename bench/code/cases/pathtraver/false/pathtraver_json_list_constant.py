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


@app.route("/pathtraver_json_list_constant", methods=["GET", "POST"])
def pathtraver_json_list_constant():
    param = request.get_json()["p"]
    lst = ["safe", param]
    bar = lst[0]
    with open("/srv/files/" + bar) as f:
        return f.read()
