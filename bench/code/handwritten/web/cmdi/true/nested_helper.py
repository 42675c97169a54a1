import subprocess

from flask import Flask, request

app = Flask(__name__)


def normalise(text):
    return text.replace("\t", " ")


def build(prefix, value):
    return prefix + " " + normalise(value)


@app.route("/cmd/nested", methods=["POST"])
def nested():
    payload = request.get_json(silent=True) or {}
    target = payload.get("dir", ".")
    out = subprocess.check_output(build("du -sh", target), shell=True)
    return {"size": out.decode()}
