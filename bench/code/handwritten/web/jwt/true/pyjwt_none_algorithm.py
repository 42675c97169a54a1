import jwt
from flask import Flask, request

app = Flask(__name__)
KEY = "rotate-me"


@app.route("/jwt/admin")
def admin():
    token = request.args.get("t", "")
    claims = jwt.decode(token, KEY, algorithms=["HS256", "none"])
    if claims.get("admin"):
        return {"admin": True}
    return {"admin": False}, 403
