import re
import flask
from flask import request
from lxml import etree

app = flask.Flask(__name__)

ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"


@app.route("/xpath_form_ternary_taken", methods=["GET", "POST"])
def xpath_form_ternary_taken():
    param = request.form.get("p", "")
    num = 196
    bar = "safe" if (7 * 42) - num > 200 else param
    root = etree.fromstring("<users/>")
    return str(root.xpath("//user[@name='" + bar + "']"))
