from flask import Flask, request, session

app = Flask(__name__)


def profile_from(form):
    return {"name": form.get("name", ""), "role": "user"}


@app.route("/tb/profile", methods=["POST"])
def profile():
    data = profile_from(request.form)
    session["role"] = data["role"]
    return {"ok": True, "name": data["name"]}
