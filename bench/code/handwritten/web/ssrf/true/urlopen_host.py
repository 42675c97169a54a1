from urllib.request import urlopen

from flask import Flask, request

app = Flask(__name__)


@app.route("/probe", methods=["POST"])
def probe():
    host = request.json.get("host")
    with urlopen("http://" + host + "/health", timeout=3) as r:
        return {"code": r.status}
