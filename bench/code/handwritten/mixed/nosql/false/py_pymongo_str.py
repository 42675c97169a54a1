from flask import Flask, request
from pymongo import MongoClient

app = Flask(__name__)
users = MongoClient()["app"]["users"]


@app.route("/nosql/login-safe", methods=["POST"])
def login_safe():
    payload = request.get_json()
    query = {"name": str(payload["name"]), "pin": str(payload["pin"])}
    return {"found": users.find_one(query) is not None}
