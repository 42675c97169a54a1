import hashlib

def digest(data):
    h = hashlib.new("md5")
    h.update(data)
    return h.hexdigest()
