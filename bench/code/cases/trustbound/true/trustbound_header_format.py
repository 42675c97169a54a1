import re
import flask
from flask import request


app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/trustbound_header_format", methods=["GET", "POST"])
def trustbound_header_format():
    param = request.headers.get("X-Param", "")
    bar = "value: {}".format(param)
    flask.session["userid"] = bar
    return "ok"
