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


@app.route("/xpath_cookie_helper_passthrough", methods=["GET", "POST"])
def xpath_cookie_helper_passthrough():
    param = request.cookies.get("p", "")
    bar = do_something(param)
    root = etree.fromstring("<users/>")
    return str(root.xpath("//user[@name='" + bar + "']"))
