import json

from flask import Flask, request

app = Flask(__name__)


@app.route("/deser/json", methods=["POST"])
def load_json():
    data = json.loads(request.get_data())
    return str(type(data))
