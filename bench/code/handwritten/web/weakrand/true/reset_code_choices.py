import random
import string

from flask import Flask, request

app = Flask(__name__)


@app.route("/rand/reset", methods=["POST"])
def reset():
    email = request.form.get("email", "")
    code = "".join(random.choices(string.digits, k=6))
    return {"email": email, "sent": len(code) == 6}
