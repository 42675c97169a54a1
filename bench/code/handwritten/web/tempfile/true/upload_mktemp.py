import tempfile

from flask import Flask, request

app = Flask(__name__)


@app.route("/upload", methods=["POST"])
def upload():
    blob = request.get_data()
    path = tempfile.mktemp(suffix=".bin")
    with open(path, "wb") as fh:
        fh.write(blob)
    return {"stored": path}
