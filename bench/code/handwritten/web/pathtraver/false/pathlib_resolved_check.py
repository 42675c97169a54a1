from pathlib import Path

from flask import Flask, abort

app = Flask(__name__)
ROOT = Path("/srv/uploads").resolve()


@app.route("/path/get/<int:item>")
def get_file(item):
    target = ROOT / f"item-{item}.txt"
    return {"data": target.read_text()}
