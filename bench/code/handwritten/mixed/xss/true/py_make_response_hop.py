from flask import Flask, make_response, request

app = Flask(__name__)


class Page:
    def __init__(self):
        self.parts = ["<html><body>"]

    def add(self, chunk):
        self.parts.append(chunk)
        return self

    def html(self):
        return "".join(self.parts) + "</body></html>"


@app.route("/xss/page")
def page():
    body = Page().add("<h2>").add(request.args.get("title", "")).add("</h2>").html()
    return make_response(body)
