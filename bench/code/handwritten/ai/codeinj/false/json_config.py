import json

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/settings", methods=["POST"])
def settings():
    raw = request.get_data(as_text=True)
    config = json.loads(raw)
    return jsonify({"keys": list(config.keys())})
