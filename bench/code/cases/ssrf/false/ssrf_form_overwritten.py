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


@app.route("/ssrf_form_overwritten", methods=["GET", "POST"])
def ssrf_form_overwritten():
    param = request.form.get("p", "")
    bar = param
    bar = "constant"
    return requests.get(bar, timeout=5).text
