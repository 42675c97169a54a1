from flask import Flask, request

app = Flask(__name__)

HANDLERS = {
    "sum": lambda text: eval(text),
    "echo": lambda text: text,
}


@app.route("/codeinj/dispatch-safe", methods=["POST"])
def dispatch_safe():
    return str(HANDLERS["echo"](len(request.form["expr"])))
