import secrets

from flask import Flask, jsonify, request

app = Flask(__name__)
pending_codes = {}


@app.route("/send-otp", methods=["POST"])
def send_otp():
    phone = request.json["phone"]
    otp = secrets.randbelow(900000) + 100000
    pending_codes[phone] = otp
    return jsonify({"status": "sent"})
