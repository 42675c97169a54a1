from urllib.parse import urlparse

import requests
from flask import Flask, Response, abort, request

app = Flask(__name__)
IMAGE_HOSTS = {"images.example.org", "cdn.example.org"}


@app.route("/ssrf/image")
def image():
    src = request.args.get("src", "")
    if urlparse(src).hostname not in IMAGE_HOSTS:
        abort(400)
    upstream = requests.get(src, timeout=5, stream=True)
    return Response(upstream.content, mimetype=upstream.headers.get("Content-Type", "image/png"))
