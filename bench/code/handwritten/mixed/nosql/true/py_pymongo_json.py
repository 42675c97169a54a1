from flask import Flask, request
from pymongo import MongoClient

app = Flask(__name__)
users = MongoClient()["app"]["users"]


@app.route("/nosql/login", methods=["POST"])
def login():
    payload = request.get_json()
    query = {"name": payload["name"], "pin": payload["pin"]}
    return {"found": users.find_one(query) is not None}
