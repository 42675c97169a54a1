import os

from flask import Flask, jsonify, request

app = Flask(__name__)
BASE_DIR = os.path.join(os.path.dirname(__file__), "documents")


@app.route("/read")
def read_file():
    """Read a file from the documents folder and return its content."""
    filename = request.args.get("filename")
    if not filename:
        return jsonify({"error": "filename parameter is required"}), 400
    file_path = os.path.join(BASE_DIR, filename)
    if not os.path.exists(file_path):
        return jsonify({"error": "File not found"}), 404
    with open(file_path, "r") as f:
        content = f.read()
    return jsonify({"filename": filename, "content": content})
