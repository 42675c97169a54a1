import os

from flask import Flask, abort, request

app = Flask(__name__)
ROOT = "/var/log/app"


@app.route("/path/common", methods=["POST"])
def common_safe():
    name = request.form.get("name", "")
    target = os.path.realpath(os.path.join(ROOT, name))
    if os.path.commonpath([ROOT, target]) != ROOT:
        abort(400)
    os.remove(target)
    return "removed"
