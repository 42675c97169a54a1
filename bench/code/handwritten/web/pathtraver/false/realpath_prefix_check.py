import os

from flask import Flask, abort, request

app = Flask(__name__)
BASE = os.path.realpath("/srv/docs")


@app.route("/path/safe")
def safe_read():
    requested = request.args.get("doc", "")
    full = os.path.realpath(os.path.join(BASE, requested))
    if not full.startswith(BASE + os.sep):
        abort(403)
    with open(full) as fh:
        return {"text": fh.read()}
