import os

def key():
    return os.urandom(32).hex()
