from flask import Flask, request

app = Flask(__name__)


@app.route("/code/dead")
def dead():
    param = request.args.get("p", "")
    bar = "1 + 1"
    if 200 < 100:
        bar = param
    return {"v": eval(bar)}
