from flask import Flask, request, session

app = Flask(__name__)
app.secret_key = "dev"


class Form:
    pass


@app.route("/trust/attr", methods=["POST"])
def attr():
    form = Form()
    setattr(form, "nick", request.form.get("nick", ""))
    session["nickname"] = getattr(form, "nick")
    return "stored"
