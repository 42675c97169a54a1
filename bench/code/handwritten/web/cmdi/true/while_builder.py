import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/cmd/files")
def list_files():
    names = request.args.get("names", "").split(",")
    cmd = "ls -l"
    i = 0
    while i < len(names):
        cmd += " " + names[i]
        i += 1
    return {"out": os.popen(cmd).read()}
