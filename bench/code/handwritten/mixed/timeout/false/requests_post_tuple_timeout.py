import requests

API = "https://billing.example.org/v2/charges"


def charge(amount):
    return requests.post(API, json={"amount": amount}, timeout=(3.05, 27))
