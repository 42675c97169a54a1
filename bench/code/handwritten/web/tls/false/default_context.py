import json
import ssl
import urllib.request

from flask import Flask

app = Flask(__name__)


@app.route("/inventory")
def inventory():
    ctx = ssl.create_default_context()
    with urllib.request.urlopen("https://inventory.example.org/items", context=ctx, timeout=10) as resp:
        return json.load(resp)
