import re
import flask
from flask import request
import html

app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/xss_form_regex_checked", methods=["GET", "POST"])
def xss_form_regex_checked():
    param = request.form.get("p", "")
    bar = "default"
    if re.fullmatch(r"[a-z0-9]+", param):
        bar = param
    return "<p>" + bar + "</p>"
