import os

from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from flask import Flask, request

app = Flask(__name__)
KEY = ChaCha20Poly1305.generate_key()


@app.route("/crypto/chacha", methods=["POST"])
def chacha():
    nonce = os.urandom(12)
    ct = ChaCha20Poly1305(KEY).encrypt(nonce, request.get_data(), None)
    return {"ct": (nonce + ct).hex()}
