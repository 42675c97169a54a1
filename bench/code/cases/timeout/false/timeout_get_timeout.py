import requests

def f(u):
    return requests.get(u, timeout=10)
