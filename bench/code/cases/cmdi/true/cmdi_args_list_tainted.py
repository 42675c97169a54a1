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


@app.route("/cmdi_args_list_tainted", methods=["GET", "POST"])
def cmdi_args_list_tainted():
    param = request.args.get("p", "")
    lst = ["safe", param]
    bar = lst[1]
    os.system("echo " + bar)
    return "ok"
