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


@app.route("/xss_json_concat", methods=["GET", "POST"])
def xss_json_concat():
    param = request.get_json()["p"]
    bar = "prefix-" + param
    return "<p>" + bar + "</p>"
