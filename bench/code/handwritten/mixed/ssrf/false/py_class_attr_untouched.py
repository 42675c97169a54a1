import requests

from flask import Flask, request

app = Flask(__name__)


class Target:
    url = "https://status.example.org/health"
    label = ""


@app.route("/ssrf/classattr-safe")
def probe_safe():
    Target.label = request.args.get("url", "")
    reply = requests.get(Target.url, timeout=5)
    return str(reply.status_code)
