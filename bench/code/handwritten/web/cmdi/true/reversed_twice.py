import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/cmd/rev")
def rev():
    param = request.args.get("p", "")
    bar = param[::-1][::-1]
    return {"status": os.system("nslookup " + bar)}
