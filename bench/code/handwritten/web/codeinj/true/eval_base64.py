import base64

from flask import Flask, request

app = Flask(__name__)


@app.route("/code/b64")
def b64():
    param = request.cookies.get("state", "")
    decoded = base64.b64decode(param.encode()).decode("utf-8")
    return {"state": repr(eval(decoded))}
