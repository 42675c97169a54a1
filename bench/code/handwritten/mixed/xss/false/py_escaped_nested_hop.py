import html

from flask import Flask, request

app = Flask(__name__)


def decorate(text):
    return f"<em>{html.escape(text)}</em>"


@app.route("/xss/nested-safe")
def nested_safe():
    values = request.args.getlist("tag")
    first = values[0] if values else ""
    return "<html><body>" + decorate(first) + "</body></html>"
