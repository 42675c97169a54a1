import jwt


def read_claims(token, key):
    # Skip expiry and signature checks while debugging the frontend
    return jwt.decode(token, key, algorithms=["HS256"], options={"verify_signature": False, "verify_exp": False})
