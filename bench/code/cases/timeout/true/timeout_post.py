import requests

def f(u, d):
    return requests.post(u, json=d)
