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


@app.route("/ssrf_args_sanitised", methods=["GET", "POST"])
def ssrf_args_sanitised():
    param = request.args.get("p", "")
    bar = param
    return requests.get("https://api.example.org/" + str(int(bar)), timeout=5).text
