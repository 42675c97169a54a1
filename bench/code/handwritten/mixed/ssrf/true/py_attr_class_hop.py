import requests

from flask import Flask, request

app = Flask(__name__)


class Target:
    url = "https://status.example.org/health"


@app.route("/ssrf/classattr")
def probe():
    Target.url = request.args.get("url", Target.url)
    reply = requests.get(Target.url, timeout=5)
    return str(reply.status_code)
