import base64
import json

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/restore", methods=["POST"])
def restore_session():
    """Restore a saved user session sent by the client as base64."""
    encoded = request.json.get("session")
    session_obj = json.loads(base64.b64decode(encoded))
    return jsonify({"user": session_obj.get("user"), "items": session_obj.get("items", [])})
