import os

from flask import Flask, request
from jose import jwt

app = Flask(__name__)
PUBLIC_KEY = open(os.environ["JWT_PUBLIC_KEY_FILE"]).read()


@app.route("/jwt/whoami")
def whoami():
    token = request.headers.get("Authorization", "")[7:]
    claims = jwt.decode(token, PUBLIC_KEY, algorithms=["RS256"])
    return {"user": claims["sub"]}
