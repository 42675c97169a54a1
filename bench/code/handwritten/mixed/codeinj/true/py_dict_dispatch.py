from flask import Flask, request

app = Flask(__name__)

HANDLERS = {
    "sum": lambda text: eval(text),
    "echo": lambda text: text,
}


@app.route("/codeinj/dispatch", methods=["POST"])
def dispatch():
    return str(HANDLERS["sum"](request.form["expr"]))
