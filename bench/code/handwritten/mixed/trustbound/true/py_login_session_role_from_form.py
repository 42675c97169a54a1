from flask import Flask, request, session

from models import User

app = Flask(__name__)
app.secret_key = "dev"


@app.route("/trust/login-role", methods=["POST"])
def login_role():
    user = User.query.filter_by(username=request.form.get("username", "")).first()
    if user is None:
        return "invalid credentials", 401
    session["user_id"] = user.id
    session["role"] = request.form.get("role", "viewer")
    return "ok"
