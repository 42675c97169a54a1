import requests
from bs4 import BeautifulSoup
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/preview", methods=["POST"])
def preview():
    """Fetch a web page and return its title for a link preview."""
    url = request.json.get("url")
    if not url:
        return jsonify({"error": "url is required"}), 400
    resp = requests.get(url, timeout=10)
    soup = BeautifulSoup(resp.text, "html.parser")
    title = soup.title.string if soup.title else ""
    return jsonify({"url": url, "title": title})
