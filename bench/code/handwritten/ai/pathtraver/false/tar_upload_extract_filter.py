import os
import tarfile
import tempfile

from flask import Flask, jsonify, request

app = Flask(__name__)
EXTRACT_ROOT = "/srv/imports"


@app.route("/import", methods=["POST"])
def import_archive():
    """Accept a .tar.gz upload and unpack it into the import folder."""
    upload = request.files.get("archive")
    if upload is None:
        return jsonify({"error": "no archive"}), 400
    with tempfile.NamedTemporaryFile(suffix=".tar.gz", delete=False) as tmp:
        upload.save(tmp.name)
    with tarfile.open(tmp.name, "r:gz") as tar:
        tar.extractall(path=EXTRACT_ROOT, filter="data")
    os.unlink(tmp.name)
    return jsonify({"status": "imported"})
