import requests

def f(u):
    return requests.get(u, verify='/etc/ssl/ca.pem', timeout=5)
