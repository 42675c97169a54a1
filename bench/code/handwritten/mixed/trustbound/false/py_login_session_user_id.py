from flask import Flask, redirect, request, session, url_for

from models import User

app = Flask(__name__)
app.secret_key = "dev"


@app.route("/trust/login", methods=["POST"])
def login():
    user = User.query.filter_by(username=request.form.get("username", "")).first()
    if user is None or not user.check_password(request.form.get("password", "")):
        return "invalid credentials", 401
    session["user_id"] = user.id
    return redirect(url_for("dashboard"))


@app.route("/dashboard")
def dashboard():
    return "ok"
