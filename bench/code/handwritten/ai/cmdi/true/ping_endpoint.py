import os

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/ping", methods=["POST"])
def ping():
    """Ping a host and report whether it is reachable."""
    data = request.get_json()
    host = data.get("host")
    if not host:
        return jsonify({"error": "host is required"}), 400
    response = os.system(f"ping -c 1 {host}")
    return jsonify({"host": host, "reachable": response == 0})
