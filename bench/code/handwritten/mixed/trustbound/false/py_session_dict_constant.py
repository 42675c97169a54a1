from flask import Flask, request, session

app = Flask(__name__)
app.secret_key = "dev"


@app.route("/trust/dict-safe", methods=["POST"])
def dict_hop_safe():
    data = {"role": request.form.get("role", "user"), "source": "form"}
    session["source"] = data["source"]
    return "ok"
