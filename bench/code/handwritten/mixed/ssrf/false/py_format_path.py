import requests
from flask import Flask, request

app = Flask(__name__)


@app.route("/ssrf/format-safe")
def formatted_safe():
    item = request.args.get("item", "")
    url = "https://catalog.example.org/items/{}".format(item)
    return requests.get(url, timeout=5).text
