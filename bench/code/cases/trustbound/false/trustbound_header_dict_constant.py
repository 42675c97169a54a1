import re
import flask
from flask import request


app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/trustbound_header_dict_constant", methods=["GET", "POST"])
def trustbound_header_dict_constant():
    param = request.headers.get("X-Param", "")
    d = {}
    d["keyA"] = "a-value"
    d["keyB"] = param
    bar = d["keyA"]
    flask.session["userid"] = bar
    return "ok"
