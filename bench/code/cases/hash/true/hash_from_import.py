from hashlib import md5

def digest(data):
    return md5(data).hexdigest()
