import re
import flask
from flask import request
import os
import shlex

app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/cmdi_cookie_dict_tainted", methods=["GET", "POST"])
def cmdi_cookie_dict_tainted():
    param = request.cookies.get("p", "")
    d = {}
    d["keyA"] = "a-value"
    d["keyB"] = param
    bar = d["keyB"]
    os.system("echo " + bar)
    return "ok"
