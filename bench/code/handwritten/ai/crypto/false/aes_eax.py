from Crypto.Cipher import AES
from Crypto.Random import get_random_bytes


def make_cipher():
    key = get_random_bytes(32)
    return AES.new(key, AES.MODE_EAX), key
