import sqlite3

import bcrypt
from flask import Flask, jsonify, request

app = Flask(__name__)


def hash_password(password):
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


@app.route("/register", methods=["POST"])
def register():
    data = request.get_json()
    username = data["username"]
    password_hash = hash_password(data["password"])
    conn = sqlite3.connect("users.db")
    conn.execute("INSERT INTO users (username, password) VALUES (?, ?)", (username, password_hash))
    conn.commit()
    conn.close()
    return jsonify({"message": "User registered"}), 201
