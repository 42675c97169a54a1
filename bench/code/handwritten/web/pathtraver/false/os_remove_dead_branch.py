import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/path/delete", methods=["POST"])
def delete_cache():
    param = request.cookies.get("cache", "default")
    bar = "default"
    num = 106
    if (7 * 18) + num > 200:
        bar = "stale.bin"
    else:
        bar = param
    path = os.path.join("/var/cache/app", bar)
    if os.path.exists(path):
        os.remove(path)
    return {"deleted": True}
