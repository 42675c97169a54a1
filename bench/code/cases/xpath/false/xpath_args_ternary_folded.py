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


@app.route("/xpath_args_ternary_folded", methods=["GET", "POST"])
def xpath_args_ternary_folded():
    param = request.args.get("p", "")
    num = 86
    bar = "safe" if (7 * 42) - num > 200 else param
    root = etree.fromstring("<users/>")
    return str(root.xpath("//user[@name='" + bar + "']"))
