import logging

import requests
from flask import Flask, request

app = Flask(__name__)
logger = logging.getLogger(__name__)


def mask(value):
    return value[:4] + "****" if value else ""


@app.route("/hooks/register", methods=["POST"])
def register():
    api_key = request.headers.get("X-Api-Key", "")
    logger.debug("registering webhook with key %s", mask(api_key))
    resp = requests.post("https://hooks.example.org/register", json={"key": api_key}, timeout=5)
    return {"status": resp.status_code}
