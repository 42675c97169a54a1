import json
import urllib.request

from flask import Flask

app = Flask(__name__)


@app.route("/rates")
def rates():
    with urllib.request.urlopen("https://rates.example.org/latest.json", timeout=10) as resp:
        return json.load(resp)
