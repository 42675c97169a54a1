import random

from flask import Flask, session

app = Flask(__name__)
_rng = random.SystemRandom()


@app.route("/rand/session")
def new_session():
    session["sid"] = "%08d" % _rng.randint(0, 99999999)
    return "ok"
