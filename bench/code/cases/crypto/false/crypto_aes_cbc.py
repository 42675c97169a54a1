from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

def enc(key, iv):
    return Cipher(algorithms.AES(key), modes.CBC(iv))
