from flask import Flask, request

app = Flask(__name__)


def decorate(text):
    return f"<em>{text}</em>"


@app.route("/xss/nested")
def nested():
    values = request.args.getlist("tag")
    first = values[0] if values else ""
    return "<html><body>" + decorate(first) + "</body></html>"
