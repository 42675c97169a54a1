from cryptography.hazmat.primitives.ciphers import Cipher, algorithms


def rc4_encrypt(key: bytes, data: bytes) -> bytes:
    cipher = Cipher(algorithms.ARC4(key), mode=None)
    encryptor = cipher.encryptor()
    return encryptor.update(data)
