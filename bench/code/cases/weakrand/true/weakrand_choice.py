import random
import string

def password():
    return ''.join(random.choice(string.ascii_letters) for _ in range(12))
