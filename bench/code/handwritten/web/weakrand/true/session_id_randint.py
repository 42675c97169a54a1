import random

from flask import Flask, session

app = Flask(__name__)


@app.route("/rand/session")
def new_session():
    session["sid"] = "%08d" % random.randint(0, 99999999)
    return "ok"
