import logging

logging.basicConfig(level=logging.DEBUG)


def refresh(session, refresh_token):
    resp = session.post("/oauth/token", data={"grant_type": "refresh_token", "refresh_token": refresh_token})
    access_token = resp.json()["access_token"]
    logging.debug("Got new access token: " + access_token)
    return access_token
