import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/path/while", methods=["POST"])
def while_hop():
    name = request.form.get("name", "")
    target = "default.log"
    tries = 0
    while tries < 1:
        target = name
        tries += 1
    os.remove(os.path.join("/var/log/app", target))
    return "removed"
