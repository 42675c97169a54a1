import functools

from flask import Flask, request

app = Flask(__name__)


def trimmed(fn):
    @functools.wraps(fn)
    def inner(value):
        return fn(value.strip())

    return inner


@trimmed
def read_report(name):
    with open("/srv/reports/" + name) as fh:
        return fh.read()


@app.route("/path/decorated")
def decorated():
    return read_report(request.args.get("report", ""))
