import os

import jwt
from flask import Flask, request

app = Flask(__name__)
KEY = os.environ["JWT_KEY"]


@app.route("/jwt/profile")
def profile():
    token = request.cookies.get("auth", "")
    claims = jwt.decode(token, KEY, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    return {"user": claims.get("sub"), "role": claims.get("role")}
