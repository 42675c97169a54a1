import jwt

def claims(t, k):
    return jwt.decode(t, k, algorithms=['HS256'])
