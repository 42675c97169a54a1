import os
import flask

app = flask.Flask(__name__)
app.run(port=int(os.environ.get('PORT', '8000')))
