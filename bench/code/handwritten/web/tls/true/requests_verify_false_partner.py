import requests
from flask import Flask, request

app = Flask(__name__)


@app.route("/partner/status")
def partner_status():
    account = request.args.get("account", "")
    resp = requests.get(
        "https://partner.example.org/api/status",
        params={"account": account},
        verify=False,
        timeout=10,
    )
    return resp.json()
