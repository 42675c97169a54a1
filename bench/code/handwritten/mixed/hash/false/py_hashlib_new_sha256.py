import hashlib


def cache_key(user_id, path):
    h = hashlib.new("sha256")
    h.update(f"{user_id}:{path}".encode())
    return h.hexdigest()
