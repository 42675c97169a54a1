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


@app.route("/xpath_form_regex_checked", methods=["GET", "POST"])
def xpath_form_regex_checked():
    param = request.form.get("p", "")
    bar = "default"
    if re.fullmatch(r"[a-z0-9]+", param):
        bar = param
    root = etree.fromstring("<users/>")
    return str(root.xpath("//user[@name='" + bar + "']"))
