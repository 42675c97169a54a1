import random

from flask import Flask, jsonify, request

app = Flask(__name__)
pending_codes = {}


@app.route("/send-otp", methods=["POST"])
def send_otp():
    phone = request.json["phone"]
    otp = random.randint(100000, 999999)
    pending_codes[phone] = otp
    print(f"Sending OTP {otp} to {phone}")
    return jsonify({"status": "sent"})
