import requests


def get_status(url):
    resp = requests.get(url, verify="/etc/ssl/certs/internal-ca.pem", timeout=10)
    return resp.status_code
