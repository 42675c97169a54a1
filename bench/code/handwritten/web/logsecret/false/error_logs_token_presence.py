import logging

from flask import Flask, request

app = Flask(__name__)


@app.route("/session/refresh", methods=["POST"])
def refresh():
    refresh_token = request.json.get("refresh_token")
    if not refresh_token:
        logging.warning("refresh without token")
        return {"error": "missing"}, 400
    logging.error("refresh failed (token present: %s)", refresh_token is not None)
    return {"error": "expired"}, 401
