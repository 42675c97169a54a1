import re
import flask
from flask import request
import requests

app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/ssrf_form_percent", methods=["GET", "POST"])
def ssrf_form_percent():
    param = request.form.get("p", "")
    bar = "value: %s" % param
    return requests.get(bar, timeout=5).text
