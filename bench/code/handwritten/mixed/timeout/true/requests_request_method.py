import requests


def call(method, url, payload=None):
    return requests.request(method, url, json=payload)
