import flask

app = flask.Flask(__name__)

@app.route("/c")
def c():
    resp = flask.make_response("ok")
    resp.set_cookie("session", "v", httponly=True)
    return resp
