from Crypto.Cipher import Blowfish
from flask import Flask, request

app = Flask(__name__)


@app.route("/crypto/bf", methods=["POST"])
def bf():
    key = request.form.get("k", "0123456789abcdef").encode()
    cipher = Blowfish.new(key, Blowfish.MODE_EAX)
    ct, tag = cipher.encrypt_and_digest(b"payload")
    return {"ct": ct.hex()}
