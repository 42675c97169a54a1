import requests

TIMEOUT = (3.05, 27)


def notify(webhook_url, message):
    with requests.Session() as s:
        r = s.post(webhook_url, json={"text": message}, timeout=TIMEOUT)
    return r.status_code == 200
