import re
import flask
from flask import request
import ast

app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/codeinj_cookie_fstring", methods=["GET", "POST"])
def codeinj_cookie_fstring():
    param = request.cookies.get("p", "")
    bar = f"value: {param}"
    return str(eval(bar))
