import re
import flask
from flask import request


app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/redirect_json_list_constant", methods=["GET", "POST"])
def redirect_json_list_constant():
    param = request.get_json()["p"]
    lst = ["safe", param]
    bar = lst[0]
    return flask.redirect(bar)
