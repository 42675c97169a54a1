import hashlib

def digest(data):
    algorithm = "sha3_256"
    return hashlib.new(algorithm, data).hexdigest()
