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


@app.route("/xss_args_pop_constant", methods=["GET", "POST"])
def xss_args_pop_constant():
    param = request.args.get("p", "")
    lst = []
    lst.append("safe")
    lst.append(param)
    lst.append("moresafe")
    lst.pop(0)
    bar = lst[1]
    return "<p>" + bar + "</p>"
