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


@app.route("/ssrf_cookie_allowlist_return", methods=["GET", "POST"])
def ssrf_cookie_allowlist_return():
    param = request.cookies.get("p", "")
    if param not in ALLOWED:
        return "invalid"
    bar = param
    return requests.get(bar, timeout=5).text
