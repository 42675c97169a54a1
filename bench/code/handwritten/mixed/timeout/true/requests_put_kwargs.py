import requests

DEFAULTS = {"headers": {"User-Agent": "sync/1.0"}}


def upload(url, body):
    return requests.put(url, data=body, **DEFAULTS)
