from Crypto.Cipher import ARC4

def enc(key, data):
    return ARC4.new(key).encrypt(data)
