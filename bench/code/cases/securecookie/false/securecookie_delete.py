import flask

app = flask.Flask(__name__)

@app.route("/c")
def c():
    resp = flask.make_response("ok")
    resp.delete_cookie("session")
    return resp
