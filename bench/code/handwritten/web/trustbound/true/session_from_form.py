from flask import Flask, request, session

app = Flask(__name__)
app.secret_key = b"change-me"


@app.route("/tb/prefs", methods=["POST"])
def prefs():
    theme = request.form.get("theme", "light")
    session["theme"] = theme
    return {"ok": True}
