import flask

app = flask.Flask(__name__)


@app.route("/tb/page")
def page():
    size = flask.request.args.get("size", "20")
    flask.session["page_size"] = min(int(size), 100)
    return "stored"
