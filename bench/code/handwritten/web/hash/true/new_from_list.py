import hashlib

from flask import Flask, request

app = Flask(__name__)


@app.route("/hash/new", methods=["POST"])
def new_hash():
    data = request.get_data()
    algorithms = ["sha1", "sha384"]
    h = hashlib.new(algorithms[0])
    h.update(data)
    return {"digest": h.hexdigest()}
