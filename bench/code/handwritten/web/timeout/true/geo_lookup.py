import requests
from flask import Flask, request

app = Flask(__name__)


@app.route("/geo")
def geo():
    ip = request.remote_addr or "127.0.0.1"
    resp = requests.get("https://geo.example.org/lookup", params={"ip": ip})
    return resp.json()
