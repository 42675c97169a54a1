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


@app.route("/xss_cookie_helper_passthrough", methods=["GET", "POST"])
def xss_cookie_helper_passthrough():
    param = request.cookies.get("p", "")
    bar = do_something(param)
    return "<p>" + bar + "</p>"
