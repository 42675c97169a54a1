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


@app.route("/xss_header_dict_constant", methods=["GET", "POST"])
def xss_header_dict_constant():
    param = request.headers.get("X-Param", "")
    d = {}
    d["keyA"] = "a-value"
    d["keyB"] = param
    bar = d["keyA"]
    return "<p>" + bar + "</p>"
