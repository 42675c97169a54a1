from flask import Flask, request

app = Flask(__name__)


@app.route("/codeinj/map-safe", methods=["POST"])
def mapped_safe():
    exprs = request.form.getlist("e")
    results = list(map(lambda s: float(s), exprs))
    return str(sum(results))
