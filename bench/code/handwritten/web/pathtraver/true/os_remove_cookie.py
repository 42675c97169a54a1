import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/path/delete", methods=["POST"])
def delete_cache():
    param = request.cookies.get("cache", "default")
    path = os.path.join("/var/cache/app", param)
    if os.path.exists(path):
        os.remove(path)
    return {"deleted": True}
