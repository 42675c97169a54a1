import marshal

from flask import Flask, request

app = Flask(__name__)


@app.route("/deser/marshal", methods=["POST"])
def load_code():
    code = marshal.loads(request.get_data())
    return str(type(code))
