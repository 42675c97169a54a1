import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/cmdi/list-safe", methods=["POST"])
def list_hop_safe():
    param = request.form.get("path", "")
    parts = ["safe"]
    parts.append(param)
    parts.append("moresafe")
    parts.pop(0)
    chosen = parts[1]
    subprocess.call("ls -la " + chosen, shell=True)
    return "listed"
