import functools
import os

from flask import Flask, request

app = Flask(__name__)


def basename_only(fn):
    @functools.wraps(fn)
    def inner(value):
        return fn(os.path.basename(value))

    return inner


@basename_only
def read_report(name):
    with open("/srv/reports/" + name) as fh:
        return fh.read()


@app.route("/path/decorated-safe")
def decorated_safe():
    return read_report(request.args.get("report", ""))
