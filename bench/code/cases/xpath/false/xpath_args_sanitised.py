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


@app.route("/xpath_args_sanitised", methods=["GET", "POST"])
def xpath_args_sanitised():
    param = request.args.get("p", "")
    bar = param
    root = etree.fromstring("<users/>")
    return str(root.xpath("//user[@name=$n]", n=bar))
