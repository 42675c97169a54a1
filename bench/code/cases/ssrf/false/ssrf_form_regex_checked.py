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


@app.route("/ssrf_form_regex_checked", methods=["GET", "POST"])
def ssrf_form_regex_checked():
    param = request.form.get("p", "")
    bar = "default"
    if re.fullmatch(r"[a-z0-9]+", param):
        bar = param
    return requests.get(bar, timeout=5).text
