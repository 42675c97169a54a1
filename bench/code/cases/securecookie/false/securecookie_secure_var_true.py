import flask

app = flask.Flask(__name__)

@app.route("/c")
def c():
    flag = True
    resp = flask.make_response("ok")
    resp.set_cookie("session", "v", secure=flag, httponly=True, samesite="Lax")
    return resp
