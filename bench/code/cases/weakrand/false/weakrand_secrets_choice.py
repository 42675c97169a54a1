import secrets
import string

def password():
    return ''.join(secrets.choice(string.ascii_letters) for _ in range(12))
