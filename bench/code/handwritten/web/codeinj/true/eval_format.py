from flask import Flask, request

app = Flask(__name__)


@app.route("/code/calc", methods=["POST"])
def calc():
    expr = request.form.get("expr", "0")
    source = "{} * 2".format(expr)
    return {"result": str(eval(source))}
