import hashlib


def hash_password(password: str) -> str:
    """Hash a password for storing in the database."""
    return hashlib.sha256(password.encode("utf-8")).hexdigest()


def verify_password(stored_hash: str, provided_password: str) -> bool:
    return stored_hash == hash_password(provided_password)
