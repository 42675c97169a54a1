import marshal

from flask import Flask, request

app = Flask(__name__)


@app.route("/des/code", methods=["POST"])
def code():
    obj = marshal.loads(request.data)
    return {"type": type(obj).__name__}
