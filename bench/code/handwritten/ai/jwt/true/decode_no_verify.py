import jwt
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/me")
def me():
    token = request.headers.get("Authorization", "").replace("Bearer ", "")
    payload = jwt.decode(token, options={"verify_signature": False})
    return jsonify({"user": payload.get("sub")})
