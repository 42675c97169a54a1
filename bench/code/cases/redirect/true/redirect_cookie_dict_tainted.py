import re
import flask
from flask import request


app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/redirect_cookie_dict_tainted", methods=["GET", "POST"])
def redirect_cookie_dict_tainted():
    param = request.cookies.get("p", "")
    d = {}
    d["keyA"] = "a-value"
    d["keyB"] = param
    bar = d["keyB"]
    return flask.redirect(bar)
