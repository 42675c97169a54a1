import urllib.request

from flask import Flask, Response, request

app = Flask(__name__)


@app.route("/image-proxy")
def image_proxy():
    image_url = request.args.get("src")
    with urllib.request.urlopen(image_url) as upstream:
        data = upstream.read()
        content_type = upstream.headers.get("Content-Type", "image/png")
    return Response(data, mimetype=content_type)
