import os


def create_session_token():
    return os.urandom(24).hex()


class SessionStore:
    def __init__(self):
        self.sessions = {}

    def create(self, user_id):
        token = create_session_token()
        self.sessions[token] = user_id
        return token
