from Crypto.Cipher import DES3
from Crypto.Random import get_random_bytes


def make_cipher():
    key = DES3.adjust_key_parity(get_random_bytes(24))
    return DES3.new(key, DES3.MODE_CBC), key
