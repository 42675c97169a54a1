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


@app.route("/xpath_cookie_allowlist_return", methods=["GET", "POST"])
def xpath_cookie_allowlist_return():
    param = request.cookies.get("p", "")
    if param not in ALLOWED:
        return "invalid"
    bar = param
    root = etree.fromstring("<users/>")
    return str(root.xpath("//user[@name='" + bar + "']"))
