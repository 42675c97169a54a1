from flask import Flask, request

app = Flask(__name__)


@app.route("/xss/list")
def pick():
    param = request.args.get("v", "")
    items = ["alpha", param, "gamma"]
    items.pop(1)
    return "<li>" + items[1] + "</li>"
