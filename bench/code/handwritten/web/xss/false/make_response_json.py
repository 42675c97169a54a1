from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/xss/hello")
def hello():
    name = request.headers.get("Referer", "")
    return jsonify({"referer": name, "ok": True})
