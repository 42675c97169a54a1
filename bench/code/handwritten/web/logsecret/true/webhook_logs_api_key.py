import logging

import requests
from flask import Flask, request

app = Flask(__name__)
logger = logging.getLogger(__name__)


@app.route("/hooks/register", methods=["POST"])
def register():
    api_key = request.headers.get("X-Api-Key", "")
    logger.debug(f"registering webhook with key {api_key}")
    resp = requests.post("https://hooks.example.org/register", json={"key": api_key}, timeout=5)
    return {"status": resp.status_code}
