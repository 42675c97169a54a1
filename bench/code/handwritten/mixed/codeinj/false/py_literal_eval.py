import ast

from flask import Flask, request

app = Flask(__name__)


@app.route("/codeinj/literal", methods=["POST"])
def parse_literal():
    text = request.form["data"]
    parsed = ast.literal_eval(text)
    return str(len(parsed))
