import re

from flask import Flask, jsonify, request

app = Flask(__name__)
ALLOWED = re.compile(r"[0-9+\-*/(). ]{1,100}")


@app.route("/calculate")
def calculate():
    expression = request.args.get("expr", "")
    if not ALLOWED.fullmatch(expression):
        return jsonify({"error": "only numbers and + - * / ( ) are allowed"}), 400
    result = eval(expression, {"__builtins__": {}}, {})
    return jsonify({"result": result})
