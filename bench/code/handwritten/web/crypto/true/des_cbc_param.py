import os

from Crypto.Cipher import DES
from Crypto.Util.Padding import pad
from flask import Flask, request

app = Flask(__name__)


@app.route("/crypto/enc", methods=["POST"])
def encrypt():
    data = request.form.get("data", "").encode()
    key = os.urandom(8)
    cipher = DES.new(key, DES.MODE_CBC)
    return {"ct": (cipher.iv + cipher.encrypt(pad(data, 8))).hex()}
