from Crypto.Hash import MD5

def digest(data):
    return MD5.new(data).hexdigest()
