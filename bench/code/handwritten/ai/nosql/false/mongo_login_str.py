from flask import Flask, jsonify, request
from pymongo import MongoClient

app = Flask(__name__)
db = MongoClient("mongodb://localhost:27017")["app"]


@app.route("/login", methods=["POST"])
def login():
    data = request.get_json()
    username = str(data.get("username", ""))
    password = str(data.get("password", ""))
    user = db.users.find_one({"username": username, "password": password})
    if user:
        return jsonify({"message": "Login successful"})
    return jsonify({"message": "Invalid credentials"}), 401
