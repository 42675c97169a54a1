import base64
import os

from Crypto.Cipher import AES
from Crypto.Util.Padding import pad


def encrypt(data: str, key: bytes) -> str:
    """Encrypt a string with AES-CBC and a random IV, return base64."""
    iv = os.urandom(16)
    cipher = AES.new(key, AES.MODE_CBC, iv)
    ct = cipher.encrypt(pad(data.encode(), AES.block_size))
    return base64.b64encode(iv + ct).decode()
