import hashlib
import hmac
import os


def hash_password(password: str) -> bytes:
    """Hash a password for storing in the database."""
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, 600_000)
    return salt + digest


def verify_password(stored: bytes, provided_password: str) -> bool:
    salt, digest = stored[:16], stored[16:]
    candidate = hashlib.pbkdf2_hmac("sha256", provided_password.encode("utf-8"), salt, 600_000)
    return hmac.compare_digest(candidate, digest)
