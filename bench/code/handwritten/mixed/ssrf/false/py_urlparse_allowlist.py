from urllib.parse import urlparse

import requests
from flask import Flask, abort, request

app = Flask(__name__)
FEEDS = {"news.example.org", "blog.example.org"}


@app.route("/ssrf/feed-safe")
def feed_safe():
    url = request.args["feed"]
    if urlparse(url).hostname not in FEEDS:
        abort(400)
    return requests.get(url, timeout=3).text
