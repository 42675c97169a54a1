from flask import Flask, jsonify, request
from pymongo import MongoClient

app = Flask(__name__)
orders = MongoClient()["shop"]["orders"]
STATUSES = ("open", "shipped", "closed")


@app.route("/orders/search", methods=["POST"])
def search_orders():
    status = request.get_json().get("status")
    if status not in STATUSES:
        return jsonify({"error": "bad status"}), 400
    return jsonify([str(o["_id"]) for o in orders.find({"status": status})])
