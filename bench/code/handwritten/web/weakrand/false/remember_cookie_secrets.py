import secrets

from flask import Flask, make_response

app = Flask(__name__)


@app.route("/rand/remember")
def remember():
    token = secrets.token_hex(16)
    resp = make_response("ok")
    resp.set_cookie("rememberMe", token, secure=True, httponly=True)
    return resp
