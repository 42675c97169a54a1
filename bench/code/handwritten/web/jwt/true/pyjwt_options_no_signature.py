import jwt
from flask import Flask, request

app = Flask(__name__)


@app.route("/jwt/profile")
def profile():
    token = request.cookies.get("auth", "")
    claims = jwt.decode(token, options={"verify_signature": False})
    return {"user": claims.get("sub"), "role": claims.get("role")}
