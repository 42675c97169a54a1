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


@app.route("/ssrf_cookie_fstring", methods=["GET", "POST"])
def ssrf_cookie_fstring():
    param = request.cookies.get("p", "")
    bar = f"value: {param}"
    return requests.get(bar, timeout=5).text
