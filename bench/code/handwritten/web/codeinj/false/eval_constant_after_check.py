from flask import Flask, request

app = Flask(__name__)

OPERATIONS = {"double": "x * 2", "square": "x * x"}


@app.route("/code/op")
def op():
    name = request.args.get("op", "double")
    x = int(request.args.get("x", "1"))
    formula = OPERATIONS.get(name, "x")
    if name not in OPERATIONS:
        formula = "x"
    return {"result": eval(formula, {"x": x})}
