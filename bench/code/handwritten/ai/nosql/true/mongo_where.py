from flask import Flask, jsonify, request
from pymongo import MongoClient

app = Flask(__name__)
products = MongoClient()["shop"]["products"]


@app.route("/products")
def list_products():
    max_price = request.args.get("max", "100")
    docs = products.find({"$where": "this.price < " + max_price})
    return jsonify([d["name"] for d in docs])
