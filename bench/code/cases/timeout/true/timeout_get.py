import requests

def f(u):
    return requests.get(u)
