import requests
from flask import Flask, request

app = Flask(__name__)


@app.route("/orders", methods=["POST"])
def create_order():
    order = request.get_json()
    requests.post("https://notify.example.org/orders", json={"id": order.get("id")})
    return {"created": True}, 201
