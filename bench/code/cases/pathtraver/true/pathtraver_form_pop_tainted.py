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


@app.route("/pathtraver_form_pop_tainted", methods=["GET", "POST"])
def pathtraver_form_pop_tainted():
    param = request.form.get("p", "")
    lst = []
    lst.append("safe")
    lst.append(param)
    lst.append("moresafe")
    lst.pop(0)
    bar = lst[0]
    with open("/srv/files/" + bar) as f:
        return f.read()
