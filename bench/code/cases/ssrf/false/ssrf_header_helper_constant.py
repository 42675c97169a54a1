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


@app.route("/ssrf_header_helper_constant", methods=["GET", "POST"])
def ssrf_header_helper_constant():
    param = request.headers.get("X-Param", "")
    bar = constant_thing(param)
    return requests.get(bar, timeout=5).text
