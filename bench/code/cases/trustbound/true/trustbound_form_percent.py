import re
import flask
from flask import request


app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/trustbound_form_percent", methods=["GET", "POST"])
def trustbound_form_percent():
    param = request.form.get("p", "")
    bar = "value: %s" % param
    flask.session["userid"] = bar
    return "ok"
