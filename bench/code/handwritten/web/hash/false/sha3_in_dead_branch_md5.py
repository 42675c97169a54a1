import hashlib

from flask import Flask, request

app = Flask(__name__)


@app.route("/hash/dead", methods=["POST"])
def dead():
    value = request.form.get("v", "").encode()
    algorithm = "sha3_256"
    if 1 > 2:
        algorithm = "md5"
    return {"digest": hashlib.new(algorithm, value).hexdigest()}
