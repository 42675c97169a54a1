from flask import Flask, jsonify, request, session

app = Flask(__name__)
app.secret_key = "dev-key"


@app.route("/set-preferences", methods=["POST"])
def set_preferences():
    data = request.get_json()
    session["username"] = data.get("username")
    session["is_admin"] = data.get("is_admin", False)
    return jsonify({"message": "Preferences saved"})
