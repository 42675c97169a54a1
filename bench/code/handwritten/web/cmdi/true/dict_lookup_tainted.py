import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/cmd/dict")
def dict_pick():
    param = request.headers.get("X-Target", "")
    table = {"one": "localhost", "two": param, "three": "127.0.0.1"}
    bar = table.get("two")
    status = os.system("ping -c 1 " + bar)
    return {"status": status}
