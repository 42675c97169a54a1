import ipaddress
import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/ping", methods=["POST"])
def ping():
    """Ping a host and report whether it is reachable."""
    data = request.get_json()
    host = data.get("host", "")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return jsonify({"error": "invalid IP address"}), 400
    result = subprocess.run(["ping", "-c", "1", host], capture_output=True, text=True, timeout=10)
    return jsonify({"host": host, "reachable": result.returncode == 0})
