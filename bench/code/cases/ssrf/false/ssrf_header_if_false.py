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


@app.route("/ssrf_header_if_false", methods=["GET", "POST"])
def ssrf_header_if_false():
    param = request.headers.get("X-Param", "")
    bar = "safe"
    if False:
        bar = param
    return requests.get(bar, timeout=5).text
