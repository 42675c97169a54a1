import hashlib
import json


def cache_key(params: dict) -> str:
    """Build a short, stable cache key from request parameters."""
    raw = json.dumps(params, sort_keys=True).encode()
    return hashlib.md5(raw, usedforsecurity=False).hexdigest()
