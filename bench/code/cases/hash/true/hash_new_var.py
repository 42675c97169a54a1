import hashlib

def digest(data):
    algorithm = "SHA1"
    return hashlib.new(algorithm, data).hexdigest()
