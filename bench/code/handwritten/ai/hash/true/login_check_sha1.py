import hashlib

from flask import Flask, request, session

app = Flask(__name__)
app.secret_key = "dev"
USERS = {"alice": "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8"}


@app.route("/login", methods=["POST"])
def login():
    username = request.form["username"]
    pw_hash = hashlib.sha1(request.form["password"].encode()).hexdigest()
    if USERS.get(username) == pw_hash:
        session["user"] = username
        return "Logged in"
    return "Invalid credentials", 401
