import hashlib

def digest(data):
    return hashlib.blake2b(data).hexdigest()
