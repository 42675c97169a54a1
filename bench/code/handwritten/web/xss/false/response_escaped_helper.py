import html

from flask import Flask, request

app = Flask(__name__)


def safe_text(value):
    return html.escape(value, quote=True)


@app.route("/xss/acc", methods=["POST"])
def accumulate():
    body = ""
    param = request.form.get("comment", "")
    body += "<h2>Your comment</h2>"
    body += "<div>" + safe_text(param) + "</div>"
    return body
