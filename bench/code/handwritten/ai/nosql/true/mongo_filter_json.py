from flask import Flask, jsonify, request
from pymongo import MongoClient

app = Flask(__name__)
orders = MongoClient()["shop"]["orders"]


@app.route("/orders/search", methods=["POST"])
def search_orders():
    query = request.get_json()
    return jsonify([str(o["_id"]) for o in orders.find(query)])
