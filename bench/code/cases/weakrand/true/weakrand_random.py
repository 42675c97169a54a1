import random

def token():
    return str(random.random())
