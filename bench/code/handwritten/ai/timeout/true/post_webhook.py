import json

import requests


def notify(webhook_url, message):
    payload = {"text": message}
    r = requests.post(webhook_url, data=json.dumps(payload), headers={"Content-Type": "application/json"})
    return r.status_code == 200
