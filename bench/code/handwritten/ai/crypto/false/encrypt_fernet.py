from cryptography.fernet import Fernet


def generate_key() -> bytes:
    return Fernet.generate_key()


def encrypt_message(message: str, key: bytes) -> bytes:
    return Fernet(key).encrypt(message.encode())


def decrypt_message(token: bytes, key: bytes) -> str:
    return Fernet(key).decrypt(token).decode()
