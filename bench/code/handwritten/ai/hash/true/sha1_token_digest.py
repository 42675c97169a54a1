import hashlib
import secrets


def create_api_key():
    """Create an API key and the digest to store for it."""
    key = secrets.token_urlsafe(32)
    stored = hashlib.sha1(key.encode()).hexdigest()
    return key, stored
