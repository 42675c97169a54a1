import logging

log = logging.getLogger(__name__)


def connect(host, user, password):
    log.info("connecting to %s as %s (password set: %s)", host, user, password is not None)
    return (host, user)
