import logging

from flask import Flask

logging.basicConfig(level=logging.DEBUG)
app = Flask(__name__)
debug_toolbar_enabled = False


@app.route("/ping")
def ping():
    return "pong"
