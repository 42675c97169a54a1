import uuid

from flask import Flask, make_response, request

app = Flask(__name__)
sessions = {}


@app.route("/login", methods=["POST"])
def login():
    username = request.form["username"]
    session_id = str(uuid.uuid4())
    sessions[session_id] = username
    resp = make_response("Logged in")
    resp.set_cookie("session_id", session_id, secure=True, httponly=True, samesite="Strict")
    return resp
