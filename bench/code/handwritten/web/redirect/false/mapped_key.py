import flask

app = flask.Flask(__name__)

DESTINATIONS = {"home": "/", "profile": "/me", "help": "/docs/help"}


@app.route("/go")
def go():
    key = flask.request.args.get("to", "home")
    return flask.redirect(DESTINATIONS.get(key, "/"))
