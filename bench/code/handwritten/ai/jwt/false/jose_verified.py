from jose import jwt

SECRET_KEY = "load-from-env"


def current_user(token: str) -> str:
    claims = jwt.decode(token, SECRET_KEY, algorithms=["HS256"])
    return claims["sub"]
