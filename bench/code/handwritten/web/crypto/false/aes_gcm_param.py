import os

from Crypto.Cipher import AES
from flask import Flask, request

app = Flask(__name__)


@app.route("/crypto/enc", methods=["POST"])
def encrypt():
    data = request.form.get("data", "").encode()
    key = os.urandom(32)
    cipher = AES.new(key, AES.MODE_GCM)
    ct, tag = cipher.encrypt_and_digest(data)
    return {"ct": (cipher.nonce + tag + ct).hex()}
