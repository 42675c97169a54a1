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


@app.route("/xpath_header_if_false", methods=["GET", "POST"])
def xpath_header_if_false():
    param = request.headers.get("X-Param", "")
    bar = "safe"
    if False:
        bar = param
    root = etree.fromstring("<users/>")
    return str(root.xpath("//user[@name='" + bar + "']"))
