import secrets

from flask import Flask, make_response, request

app = Flask(__name__)


@app.route("/cookie/remember", methods=["POST"])
def remember():
    value = secrets.token_urlsafe(24)
    resp = make_response("remembered")
    resp.set_cookie("remember_me", value, secure=True, httponly=True, path=request.path)
    return resp
