from flask import Flask, request

app = Flask(__name__)


@app.route("/codeinj/map", methods=["POST"])
def mapped():
    exprs = request.form.getlist("e")
    results = list(map(lambda s: eval(s), exprs))
    return str(results)
