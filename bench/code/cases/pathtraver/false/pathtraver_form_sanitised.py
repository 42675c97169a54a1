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


@app.route("/pathtraver_form_sanitised", methods=["GET", "POST"])
def pathtraver_form_sanitised():
    param = request.form.get("p", "")
    bar = param
    with open("/srv/files/" + secure_filename(bar)) as f:
        return f.read()
