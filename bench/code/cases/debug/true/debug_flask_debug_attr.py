import flask

app = flask.Flask(__name__)
app.debug = True
