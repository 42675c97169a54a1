from pathlib import Path

from flask import Flask, request

app = Flask(__name__)
BASE = Path("/srv/uploads")


@app.route("/path/tuple")
def tuple_hop():
    pair = ("readme.txt", request.args.get("name", ""))
    _, chosen = pair
    return (BASE / chosen).read_text()
