from pathlib import Path

from flask import Flask, request

app = Flask(__name__)
BASE = Path("/srv/uploads")


@app.route("/path/tuple-safe")
def tuple_hop_safe():
    pair = ("readme.txt", request.args.get("name", ""))
    chosen, _ = pair
    return (BASE / chosen).read_text()
