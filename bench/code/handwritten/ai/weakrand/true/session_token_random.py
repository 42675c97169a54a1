import random
import string


def create_session_token():
    return "".join(random.choices(string.ascii_letters + string.digits, k=32))


class SessionStore:
    def __init__(self):
        self.sessions = {}

    def create(self, user_id):
        token = create_session_token()
        self.sessions[token] = user_id
        return token
