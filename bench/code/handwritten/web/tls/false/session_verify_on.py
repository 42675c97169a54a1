import requests
from flask import Flask

app = Flask(__name__)
session = requests.Session()
session.verify = True


@app.route("/billing")
def billing():
    resp = session.get("https://billing.example.org/summary", timeout=10)
    return resp.json()
