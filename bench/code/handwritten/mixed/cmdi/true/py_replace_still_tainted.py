import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/cmdi/replace")
def replaced():
    target = request.args.get("host", "")
    target = target.replace(";", "")
    os.system("traceroute " + target)
    return "ok"
