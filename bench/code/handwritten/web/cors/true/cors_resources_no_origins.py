from flask import Flask
from flask_cors import CORS

app = Flask(__name__)
CORS(app, resources={r"/api/*": {"methods": ["GET", "POST"]}}, supports_credentials=True)


@app.route("/api/session")
def session_info():
    return {"user": "alice"}
