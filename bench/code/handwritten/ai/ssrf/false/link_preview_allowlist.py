from urllib.parse import urlparse

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
ALLOWED_HOSTS = {"docs.example.org", "blog.example.org"}


@app.route("/preview", methods=["POST"])
def preview():
    url = request.json.get("url", "")
    parsed = urlparse(url)
    if parsed.scheme != "https" or parsed.hostname not in ALLOWED_HOSTS:
        return jsonify({"error": "URL not allowed"}), 400
    resp = requests.get(url, timeout=10)
    return jsonify({"url": url, "status": resp.status_code})
