from flask import Flask, request, session

app = Flask(__name__)
app.secret_key = "dev"


@app.route("/trust/dict", methods=["POST"])
def dict_hop():
    data = {"role": request.form.get("role", "user"), "source": "form"}
    session["role"] = data["role"]
    return "ok"
