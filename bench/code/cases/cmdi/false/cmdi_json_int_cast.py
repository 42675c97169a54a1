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


@app.route("/cmdi_json_int_cast", methods=["GET", "POST"])
def cmdi_json_int_cast():
    param = request.get_json()["p"]
    bar = str(int(param))
    os.system("echo " + bar)
    return "ok"
