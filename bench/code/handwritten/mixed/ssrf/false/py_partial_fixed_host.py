# The same partial, but the URL always points at the billing API; only the path segment
# comes from the request.
import functools

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
http_get = functools.partial(requests.get, timeout=10)


@app.get("/invoices")
def invoices():
    customer = request.args["customer"]
    resp = http_get(f"https://billing.internal.example/customers/{customer}/invoices")
    return jsonify(resp.json())
