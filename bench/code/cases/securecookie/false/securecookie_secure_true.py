import flask

app = flask.Flask(__name__)

@app.route("/c")
def c():
    resp = flask.make_response("ok")
    resp.set_cookie("session", "v", secure=True, httponly=True)
    return resp
