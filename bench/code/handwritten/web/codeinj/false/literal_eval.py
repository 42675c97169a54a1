import ast

from flask import Flask, request

app = Flask(__name__)


@app.route("/code/calc", methods=["POST"])
def calc():
    expr = request.form.get("expr", "0")
    value = ast.literal_eval(expr)
    return {"result": str(value)}
