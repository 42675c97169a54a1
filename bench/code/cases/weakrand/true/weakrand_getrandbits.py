import random

def key():
    return '%032x' % random.getrandbits(128)
