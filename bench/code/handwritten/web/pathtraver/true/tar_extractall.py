import tarfile

from flask import Flask, request

app = Flask(__name__)


@app.route("/path/unpack", methods=["POST"])
def unpack():
    upload = request.files["archive"]
    with tarfile.open(fileobj=upload.stream, mode="r:*") as tar:
        tar.extractall("/srv/unpacked")
    return {"ok": True}
