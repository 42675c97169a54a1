from Crypto.Cipher import DES3


def encrypt_blob(key, iv, data):
    cipher = DES3.new(key, DES3.MODE_CBC, iv)
    return cipher.encrypt(data)
