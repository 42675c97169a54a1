from flask import Flask, request

app = Flask(__name__)

SNIPPET = "result = 0"


@app.route("/codeinj/global", methods=["POST"])
def run_snippet():
    global SNIPPET
    SNIPPET = request.form["code"]
    scope = {}
    exec(SNIPPET, scope)
    return str(scope.get("result"))
