import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/cmd/loop")
def loop_overwrite():
    param = request.args.get("p", "")
    bar = param
    for _ in range(3):
        bar = "date"
    status = os.system(bar)
    return {"status": status}
