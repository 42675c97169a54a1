import flask

app = flask.Flask(__name__)


@app.route("/tb/bulk")
def bulk():
    flask.session.update(dict(flask.request.args))
    return "stored"
