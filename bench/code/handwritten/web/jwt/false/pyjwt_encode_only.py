import datetime
import os

import jwt
from flask import Flask, request

app = Flask(__name__)
KEY = os.environ["JWT_KEY"]


@app.route("/jwt/issue", methods=["POST"])
def issue():
    user = request.form.get("user", "")
    exp = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=15)
    token = jwt.encode({"sub": user, "exp": exp}, KEY, algorithm="HS256")
    return {"token": token}
