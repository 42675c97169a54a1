import xml.etree.ElementTree as ET

from flask import Flask, request

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    user = request.form["user"]
    pwd = request.form["pwd"]
    root = ET.parse("accounts.xml").getroot()
    match = root.find(".//account[@user='" + user + "'][@pwd='" + pwd + "']")
    return "ok" if match is not None else ("denied", 401)
