import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/cmdi/list", methods=["POST"])
def list_hop():
    param = request.form.get("path", "")
    parts = ["safe"]
    parts.append(param)
    parts.append("moresafe")
    parts.pop(0)
    chosen = parts[0]
    subprocess.call("ls -la " + chosen, shell=True)
    return "listed"
