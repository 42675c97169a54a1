import hmac
import xml.etree.ElementTree as ET

from flask import Flask, request

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    user = request.form["user"]
    pwd = request.form["pwd"]
    root = ET.parse("accounts.xml").getroot()
    for account in root.iter("account"):
        if account.get("user") == user and hmac.compare_digest(account.get("pwd", ""), pwd):
            return "ok"
    return "denied", 401
