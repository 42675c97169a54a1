from flask import Flask, request, session

app = Flask(__name__)
app.secret_key = "dev"


class Form:
    nick = "anonymous"
    raw = ""


@app.route("/trust/attr-safe", methods=["POST"])
def attr_safe():
    form = Form()
    setattr(form, "raw", request.form.get("nick", ""))
    session["nickname"] = getattr(form, "nick")
    return "stored"
