import requests
import urllib3

urllib3.disable_warnings()


def get_status(url):
    resp = requests.get(url, verify=False, timeout=10)
    return resp.status_code
