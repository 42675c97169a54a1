import random

def code():
    return random.SystemRandom().randint(100000, 999999)
