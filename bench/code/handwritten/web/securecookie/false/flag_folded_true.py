from flask import Flask, make_response, request

app = Flask(__name__)


@app.route("/cookie/pref")
def pref():
    lang = request.args.get("lang", "en")
    https_only = 4 > 3
    resp = make_response("ok")
    resp.set_cookie("lang", lang, secure=https_only, httponly=True)
    return resp
