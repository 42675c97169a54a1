import secrets
import string

from flask import Flask, request

app = Flask(__name__)


@app.route("/rand/reset", methods=["POST"])
def reset():
    email = request.form.get("email", "")
    code = "".join(secrets.choice(string.digits) for _ in range(6))
    return {"email": email, "sent": len(code) == 6}
