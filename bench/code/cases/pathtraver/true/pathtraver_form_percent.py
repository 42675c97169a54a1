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


@app.route("/pathtraver_form_percent", methods=["GET", "POST"])
def pathtraver_form_percent():
    param = request.form.get("p", "")
    bar = "value: %s" % param
    with open("/srv/files/" + bar) as f:
        return f.read()
