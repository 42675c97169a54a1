import requests
from flask import Flask, request

app = Flask(__name__)


@app.route("/fetch")
def fetch():
    item = int(request.args.get("id", "0"))
    resp = requests.get(f"https://inventory.internal/items/{item}", timeout=5)
    return {"status": resp.status_code}
