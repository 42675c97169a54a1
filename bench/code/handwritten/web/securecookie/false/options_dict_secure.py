from flask import Flask, make_response

app = Flask(__name__)

COOKIE_OPTIONS = {"httponly": True, "secure": True, "samesite": "Lax", "max_age": 3600}


@app.route("/cookie/session")
def start():
    resp = make_response("started")
    resp.set_cookie("sid", "abc123", **COOKIE_OPTIONS)
    return resp
