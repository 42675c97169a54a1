from flask import Flask, request

app = Flask(__name__)


@app.route("/xss/list")
def pick():
    param = request.args.get("v", "")
    items = ["alpha", param, "gamma"]
    items.remove("alpha")
    return "<li>" + items[0] + "</li>"
