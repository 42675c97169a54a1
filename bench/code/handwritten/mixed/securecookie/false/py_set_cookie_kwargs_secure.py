from flask import Flask, make_response, request

app = Flask(__name__)

COOKIE_OPTS = {"httponly": True, "secure": True, "samesite": "Lax"}


@app.route("/cookie/prefs-safe")
def prefs_safe():
    resp = make_response("saved")
    resp.set_cookie("theme", request.args.get("theme", "light"), **COOKIE_OPTS)
    return resp
