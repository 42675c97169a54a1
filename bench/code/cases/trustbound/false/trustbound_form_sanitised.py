import re
import flask
from flask import request


app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/trustbound_form_sanitised", methods=["GET", "POST"])
def trustbound_form_sanitised():
    param = request.form.get("p", "")
    bar = param
    flask.session["userid"] = str(int(bar))
    return "ok"
