import requests
from flask import Flask, Response, request

app = Flask(__name__)


@app.route("/ssrf/image")
def image():
    src = request.args.get("src", "")
    upstream = requests.get(src, timeout=5, stream=True)
    return Response(upstream.content, mimetype=upstream.headers.get("Content-Type", "image/png"))
