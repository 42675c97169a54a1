import functools

import requests
from flask import Flask, request

app = Flask(__name__)

fetch = functools.partial(requests.get, timeout=3)


@app.route("/ssrf/partial")
def partial_fetch():
    return fetch(request.args["feed"]).text
