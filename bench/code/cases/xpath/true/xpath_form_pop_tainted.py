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


@app.route("/xpath_form_pop_tainted", methods=["GET", "POST"])
def xpath_form_pop_tainted():
    param = request.form.get("p", "")
    lst = []
    lst.append("safe")
    lst.append(param)
    lst.append("moresafe")
    lst.pop(0)
    bar = lst[0]
    root = etree.fromstring("<users/>")
    return str(root.xpath("//user[@name='" + bar + "']"))
