from flask import Flask, request
from pymongo import MongoClient

app = Flask(__name__)
users = MongoClient("mongodb://localhost:27017")["app"]["users"]


@app.route("/nosql/login", methods=["POST"])
def login():
    body = request.get_json()
    user = users.find_one({"username": str(body["username"]), "password_hash": str(body["password"])})
    return {"ok": user is not None}
