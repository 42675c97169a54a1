import random

def code():
    return random.randint(100000, 999999)
