import os

from flask import Flask

app = Flask(__name__)
app.config["DEBUG"] = False
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]


@app.route("/health")
def health():
    return {"status": "ok"}
