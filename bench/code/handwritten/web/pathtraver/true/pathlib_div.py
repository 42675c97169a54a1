from pathlib import Path

from flask import Flask, request

app = Flask(__name__)
ROOT = Path("/srv/uploads")


@app.route("/path/get/<name>")
def get_file(name):
    target = ROOT / name
    return {"data": target.read_text()}
