import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/cmdi/join", methods=["POST"])
def joined():
    files = request.form.getlist("file")
    quoted = " ".join([f for f in files])
    os.popen("wc -l " + quoted).read()
    return "counted"
