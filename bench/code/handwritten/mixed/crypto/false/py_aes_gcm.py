from Crypto.Cipher import AES


def encrypt_blob(key, data):
    cipher = AES.new(key, AES.MODE_GCM)
    body, tag = cipher.encrypt_and_digest(data)
    return cipher.nonce, body, tag
