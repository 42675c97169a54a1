import flask

app = flask.Flask(__name__)


@app.route("/back")
def back():
    ref = flask.request.headers.get("Referer", "/")
    return flask.redirect(ref, code=302)
