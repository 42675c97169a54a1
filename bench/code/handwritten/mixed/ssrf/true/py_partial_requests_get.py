# A shared GET with a fixed timeout, bound once with functools.partial; the preview
# endpoint hands it whatever URL the visitor posted.
from functools import partial

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
http_get = partial(requests.get, timeout=10)


@app.post("/preview")
def preview():
    page = http_get(request.json["url"])
    return jsonify(status=page.status_code, length=len(page.content))
