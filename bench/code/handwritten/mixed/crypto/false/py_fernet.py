from cryptography.fernet import Fernet


def seal(key, block):
    return Fernet(key).encrypt(block)
