import flask

app = flask.Flask(__name__)

@app.route("/c")
def c():
    flag = False
    resp = flask.make_response("ok")
    resp.set_cookie("session", "v", secure=flag, httponly=True)
    return resp
