import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
API_BASE = "https://api.weather.example.org/v1"


@app.route("/weather")
def weather():
    city = request.args.get("city", "London")
    resp = requests.get(f"{API_BASE}/current", params={"q": city}, timeout=5)
    return jsonify(resp.json())
