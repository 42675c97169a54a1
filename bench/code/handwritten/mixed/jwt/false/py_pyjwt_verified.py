import os

import jwt
from flask import Flask, request

app = Flask(__name__)


@app.route("/jwt/me-safe")
def me_safe():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    opts = {"verify_signature": True, "require": ["exp"]}
    claims = jwt.decode(token, os.environ["JWT_KEY"], algorithms=["HS256"], options=opts)
    return {"user": claims.get("sub")}
