from Crypto.Cipher import DES
from Crypto.Util.Padding import pad, unpad

KEY = b"8bytekey"


def encrypt_message(message: str) -> bytes:
    cipher = DES.new(KEY, DES.MODE_ECB)
    return cipher.encrypt(pad(message.encode(), DES.block_size))


def decrypt_message(ciphertext: bytes) -> str:
    cipher = DES.new(KEY, DES.MODE_ECB)
    return unpad(cipher.decrypt(ciphertext), DES.block_size).decode()
