import os
import shlex

from flask import Flask, request

app = Flask(__name__)


@app.route("/cmdi/join-safe", methods=["POST"])
def joined_safe():
    files = request.form.getlist("file")
    quoted = " ".join([shlex.quote(f) for f in files])
    os.popen("wc -l " + quoted).read()
    return "counted"
