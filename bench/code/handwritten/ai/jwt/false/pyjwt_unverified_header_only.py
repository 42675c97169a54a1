import jwt

KEYS = {"k1": "secret-one", "k2": "secret-two"}


def read_claims(token):
    header = jwt.get_unverified_header(token)
    key = KEYS[header["kid"]]
    return jwt.decode(token, key, algorithms=["HS256"])
