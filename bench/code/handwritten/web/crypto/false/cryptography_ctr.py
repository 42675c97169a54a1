import os

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from flask import Flask, request

app = Flask(__name__)
KEY = os.urandom(32)


@app.route("/crypto/block", methods=["POST"])
def block():
    data = request.get_data()
    nonce = os.urandom(16)
    enc = Cipher(algorithms.AES(KEY), modes.CTR(nonce)).encryptor()
    return {"ct": (nonce + enc.update(data) + enc.finalize()).hex()}
