import requests

def f(u):
    return requests.get(u, verify=True, timeout=5)
