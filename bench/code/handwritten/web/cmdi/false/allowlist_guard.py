import subprocess

from flask import Flask, abort, request

app = Flask(__name__)

ALLOWED_DIRS = ("/srv/a", "/srv/b")


@app.route("/cmd/guard", methods=["POST"])
def guarded():
    payload = request.get_json(silent=True) or {}
    target = payload.get("dir", "/srv/a")
    if target not in ALLOWED_DIRS:
        abort(400)
    out = subprocess.check_output("du -sh " + target, shell=True)
    return {"size": out.decode()}
