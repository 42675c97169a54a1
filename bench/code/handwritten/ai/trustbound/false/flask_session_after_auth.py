from flask import Flask, jsonify, request, session

app = Flask(__name__)
app.secret_key = "dev-key"
USERS = {"alice": {"admin": True}, "bob": {"admin": False}}


@app.route("/set-preferences", methods=["POST"])
def set_preferences():
    data = request.get_json()
    username = data.get("username")
    if username not in USERS:
        return jsonify({"error": "unknown user"}), 404
    session["username"] = username
    session["is_admin"] = USERS[username]["admin"]
    return jsonify({"message": "Preferences saved"})
