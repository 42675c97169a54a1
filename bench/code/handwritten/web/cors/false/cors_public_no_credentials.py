from flask import Flask
from flask_cors import CORS

app = Flask(__name__)
CORS(app, resources={r"/public/*": {"origins": "*"}})


@app.route("/public/status")
def status():
    return {"ok": True}
