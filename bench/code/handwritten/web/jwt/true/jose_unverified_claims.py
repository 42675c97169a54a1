from flask import Flask, request
from jose import jwt

app = Flask(__name__)


@app.route("/jwt/whoami")
def whoami():
    token = request.headers.get("Authorization", "")[7:]
    claims = jwt.get_unverified_claims(token)
    return {"user": claims["sub"]}
