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


@app.route("/xss_form_overwritten", methods=["GET", "POST"])
def xss_form_overwritten():
    param = request.form.get("p", "")
    bar = param
    bar = "constant"
    return "<p>" + bar + "</p>"
