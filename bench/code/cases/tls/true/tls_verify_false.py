import requests

def f(u):
    return requests.get(u, verify=False, timeout=5)
