import requests
from flask import Flask, request

app = Flask(__name__)


@app.route("/ssrf/format")
def formatted():
    host = request.args.get("host", "")
    url = "http://{}:8080/status".format(host)
    return requests.get(url, timeout=5).text
