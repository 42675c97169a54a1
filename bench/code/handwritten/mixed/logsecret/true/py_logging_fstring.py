import logging

log = logging.getLogger(__name__)


def connect(host, user, password):
    log.info(f"connecting to {host} as {user} with {password}")
    return (host, user)
