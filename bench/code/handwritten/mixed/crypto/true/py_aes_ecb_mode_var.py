from Crypto.Cipher import AES

MODE = AES.MODE_ECB


def seal(key, block):
    return AES.new(key, MODE).encrypt(block)
