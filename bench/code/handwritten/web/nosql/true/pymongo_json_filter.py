import json

from flask import Flask, request
from pymongo import MongoClient

app = Flask(__name__)
db = MongoClient("mongodb://localhost:27017")["shop"]


@app.route("/nosql/products")
def products():
    query = json.loads(request.args.get("q", "{}"))
    return {"items": [p["name"] for p in db.products.find(query)]}
