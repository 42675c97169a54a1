import re
import flask
from flask import request


app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/redirect_json_int_cast", methods=["GET", "POST"])
def redirect_json_int_cast():
    param = request.get_json()["p"]
    bar = str(int(param))
    return flask.redirect(bar)
