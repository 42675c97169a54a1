import logging

from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger("auth")


@app.route("/auth/login", methods=["POST"])
def login():
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    log.info("login attempt user=%s", username)
    return {"ok": bool(username and password)}
