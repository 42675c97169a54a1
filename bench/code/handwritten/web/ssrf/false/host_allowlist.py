from urllib.request import urlopen

from flask import Flask, request

app = Flask(__name__)
KNOWN = {"billing.internal", "search.internal"}


@app.route("/probe", methods=["POST"])
def probe():
    host = request.json.get("host")
    if host not in KNOWN:
        return {"error": "unknown host"}, 400
    with urlopen("http://" + host + "/health", timeout=3) as r:
        return {"code": r.status}
