from urllib.parse import quote

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/github/<username>")
def github_user(username):
    resp = requests.get("https://api.github.example/users/" + quote(username, safe=""), timeout=5)
    return jsonify({"login": username, "status": resp.status_code})
