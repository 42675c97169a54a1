import base64

from Crypto.Cipher import AES
from Crypto.Util.Padding import pad


def encrypt(data: str, key: bytes) -> str:
    """Encrypt a string with AES and return base64."""
    cipher = AES.new(key, AES.MODE_ECB)
    ct = cipher.encrypt(pad(data.encode(), AES.block_size))
    return base64.b64encode(ct).decode()
