from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/run-snippet", methods=["POST"])
def run_snippet():
    code = request.form["code"]
    local_vars = {}
    exec(code, {"__builtins__": __builtins__}, local_vars)
    return jsonify({k: repr(v) for k, v in local_vars.items()})
