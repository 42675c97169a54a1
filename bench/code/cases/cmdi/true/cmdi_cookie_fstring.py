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


@app.route("/cmdi_cookie_fstring", methods=["GET", "POST"])
def cmdi_cookie_fstring():
    param = request.cookies.get("p", "")
    bar = f"value: {param}"
    os.system("echo " + bar)
    return "ok"
