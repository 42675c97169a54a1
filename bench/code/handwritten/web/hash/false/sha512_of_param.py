import hashlib

from flask import Flask, request

app = Flask(__name__)


@app.route("/hash/store", methods=["POST"])
def store():
    secret = request.form.get("secret", "")
    digest = hashlib.sha512()
    digest.update(secret.encode("utf-8"))
    return {"stored": digest.hexdigest()}
