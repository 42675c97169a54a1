import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/commits")
def commits():
    limit = request.args.get("limit", 10, type=int)
    out = subprocess.run(
        "git log --oneline -n " + str(limit), shell=True, capture_output=True, text=True
    )
    return jsonify(out.stdout.splitlines())
