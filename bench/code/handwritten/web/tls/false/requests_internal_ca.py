import requests
from flask import Flask, request

app = Flask(__name__)
INTERNAL_CA = "/etc/ssl/certs/internal-ca.pem"


@app.route("/partner/status")
def partner_status():
    account = request.args.get("account", "")
    resp = requests.get(
        "https://partner.example.org/api/status",
        params={"account": account},
        verify=INTERNAL_CA,
        timeout=10,
    )
    return resp.json()
