import hashlib

def digest(data):
    h = hashlib.new("sha256")
    h.update(data)
    return h.hexdigest()
